#!/usr/bin/env node
// Bundles the CLI (which hosts every service) into apps/cli/dist/: the entry
// orchestrator.js plus one chunk per command and shared chunks (code
// splitting), so a command loads only the code it uses. Workspace code and
// the pure-JS client libraries are inlined (fewer files to resolve at every
// start); packages with native parts, files of their own or process-wide
// singletons stay external (installed with `npm ci --omit=dev` in the image).
//
// Written so that a CLI starting while a build runs never sees half a build:
// chunks have content-hashed names and are moved in first, the entry is
// renamed over the old one last (atomic), and chunks of earlier builds are
// removed only once they are old.
//
// `node scripts/build.mjs --if-stale` builds only when a source file is newer
// than the bundle (npm start, and the test suite's global setup, use it).
import { build } from "esbuild";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";

// Paths are the repository root's, whichever directory nx runs this from.
const ROOT = new URL("..", import.meta.url).pathname;
process.chdir(ROOT);

const DIST = "apps/cli/dist";
const ENTRY = join(DIST, "orchestrator.js");
/** External: native parts or files of their own (pg, PGlite's wasm), worker-thread transports (pino), process-wide singletons (OpenTelemetry), and kysely (its PGlite dialect, external, imports it). */
const EXTERNAL = ["pg", "pg-*", "@electric-sql/*", "kysely", "kysely-*", "pino", "pino-*", "thread-stream", "@opentelemetry/*", "@grpc/*", "grpc-health-check"];
/** Chunks of an earlier build are removed once older than this: a CLI that started before may still be loading them. */
const OLD_CHUNK_MS = 10 * 60_000;

/** Newest modification time of the workspace's sources and manifests. */
function newestSource() {
  let newest = 0;
  for (const group of ["apps", "libs", "services"]) {
    for (const pkg of readdirSync(group)) {
      const stack = [join(group, pkg, "src"), join(group, pkg, "package.json")];
      while (stack.length > 0) {
        const path = stack.pop();
        let stat;
        try {
          stat = statSync(path);
        } catch {
          continue;
        }
        if (stat.isDirectory()) for (const name of readdirSync(path)) stack.push(join(path, name));
        else newest = Math.max(newest, stat.mtimeMs);
      }
    }
  }
  return newest;
}

if (process.argv.includes("--if-stale") && existsSync(ENTRY) && statSync(ENTRY).mtimeMs >= newestSource()) process.exit(0);

const startedAt = new Date();
const staging = join(DIST, `.staging-${process.pid}`);
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
try {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { orchestrator: "apps/cli/src/main.ts" },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: true,
    chunkNames: "chunks/[name]-[hash]",
    // CommonJS dependencies inlined into ESM chunks may call require().
    banner: { js: 'import { createRequire as __orchestratorCreateRequire } from "node:module"; const require = __orchestratorCreateRequire(import.meta.url);' },
    external: EXTERNAL,
    metafile: true,
    logLevel: "warning",
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => p.slice(staging.length + 1));
  mkdirSync(join(DIST, "chunks"), { recursive: true });
  for (const file of outputs.filter((f) => !f.startsWith("orchestrator."))) renameSync(join(staging, file), join(DIST, file));
  for (const file of outputs.filter((f) => f.startsWith("orchestrator.") && f !== "orchestrator.js")) renameSync(join(staging, file), join(DIST, file));
  // The entry's time is the build's start: a source saved during the build counts as newer (--if-stale builds again).
  utimesSync(join(staging, "orchestrator.js"), startedAt, startedAt);
  renameSync(join(staging, "orchestrator.js"), ENTRY);
  const current = new Set(outputs);
  for (const name of readdirSync(join(DIST, "chunks"))) {
    const path = join(DIST, "chunks", name);
    if (!current.has(`chunks/${name}`) && Date.now() - statSync(path).mtimeMs > OLD_CHUNK_MS) rmSync(path, { force: true });
  }
  const bytes = outputs.reduce((sum, f) => sum + (f.endsWith(".map") ? 0 : statSync(join(DIST, f)).size), 0);
  console.log(`built ${ENTRY} and ${outputs.filter((f) => f.startsWith("chunks/") && !f.endsWith(".map")).length} chunks (${Math.round(bytes / 1024)} KiB)`);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
