#!/usr/bin/env node
// The `orchestrator` command. It runs the bundle (dist/orchestrator.js, from
// `npm run build`: one chunk per command, so a command loads only what it
// uses) whenever there is one; without a bundle, in a fresh checkout, it runs
// the TypeScript source through tsx. ORCHESTRATOR_CLI_SOURCE=1 runs the source
// even when a bundle exists. `npm start` and the test suite rebuild a bundle
// that is older than the sources (`node scripts/build.mjs --if-stale`); after
// editing sources, `npm run build` does it for direct runs.
//
// `--version` alone is answered here, from package.json, without loading the CLI.
import { existsSync, readFileSync } from "node:fs";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
} else {
  const bundle = new URL("../dist/orchestrator.js", import.meta.url);
  const source = new URL("../src/main.ts", import.meta.url);
  if (existsSync(bundle) && !(process.env.ORCHESTRATOR_CLI_SOURCE === "1" && existsSync(source))) {
    await import(bundle.href);
  } else {
    const { register } = await import("tsx/esm/api");
    register();
    await import(source.href);
  }
}
