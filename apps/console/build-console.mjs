#!/usr/bin/env node
// Builds the web console (apps/console/web → apps/console/dist) with Vite.
// `--if-stale` (what `npm start` runs first) builds only when dist is missing
// or was built from other inputs: a SHA-256 over the console's sources, its
// Vite config, the generated contracts and the lockfile is kept in
// dist/.inputs-sha256, so a fresh clone or a pull that changed the console
// rebuilds, and an unchanged tree starts at once. File times are not used.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const app = join(root, "apps/console");
const dist = join(app, "dist");
const stamp = join(dist, ".inputs-sha256");
const inputs = ["apps/console/web", "apps/console/public", "apps/console/index.html", "apps/console/vite.config.mjs", "apps/console/package.json", "libs/contracts/src", "package-lock.json"];

function* files(path) {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) yield* files(join(path, entry));
  } else yield path;
}

function inputsDigest() {
  const hash = createHash("sha256");
  for (const input of inputs) {
    for (const file of files(join(root, input))) {
      hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
    }
  }
  return hash.digest("hex");
}

const digest = inputsDigest();
if (process.argv.includes("--if-stale") && existsSync(join(dist, "index.html")) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === digest) {
  process.exit(0);
}
let vite;
try {
  vite = await import("vite");
} catch {
  console.error("cannot build the web console: vite is not installed (run `npm ci` first)");
  process.exit(1);
}
console.log("building the web console (apps/console/dist)...");
// Built aside, then moved into place: two builds at once (parallel test files) never serve a half-written dist.
const out = join(app, `dist.tmp-${process.pid}`);
try {
  await vite.build({ configFile: join(app, "vite.config.mjs"), logLevel: process.argv.includes("--quiet") ? "warn" : "info", build: { outDir: out } });
  writeFileSync(join(out, ".inputs-sha256"), digest + "\n");
  rmSync(dist, { recursive: true, force: true });
  renameSync(out, dist);
} catch (err) {
  const done = existsSync(stamp) && readFileSync(stamp, "utf8").trim() === digest;
  if (!done) throw err;
} finally {
  rmSync(out, { recursive: true, force: true });
}
