#!/usr/bin/env node
// Bundles the CLI (which hosts every service) into apps/cli/dist/orchestrator.js
// for the container image: workspace code is inlined, npm dependencies stay
// external (installed with `npm ci --omit=dev` in the image).
import { build } from "esbuild";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

// Paths are the repository root's, whichever directory nx runs this from.
const ROOT = new URL("..", import.meta.url).pathname;
process.chdir(ROOT);

const external = new Set();
for (const root of ["apps", "libs", "services"]) {
  for (const dir of readdirSync(root)) {
    try {
      const p = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
      for (const dep of Object.keys(p.dependencies ?? {})) if (!dep.startsWith("@orchestrator/")) external.add(dep);
    } catch {}
  }
}
await build({
  absWorkingDir: ROOT,
  entryPoints: ["apps/cli/src/main.ts"],
  outfile: "apps/cli/dist/orchestrator.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  external: [...external].flatMap((d) => [d, `${d}/*`]),
  logLevel: "info",
});
