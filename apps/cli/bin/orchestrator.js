#!/usr/bin/env node
// The `orchestrator` command. From a checkout it runs the TypeScript source
// through tsx (no build step); in the container image, where only the bundle
// is shipped, it runs dist/orchestrator.js.
import { existsSync } from "node:fs";

const source = new URL("../src/main.ts", import.meta.url);
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(source.href);
} else {
  await import(new URL("../dist/orchestrator.js", import.meta.url).href);
}
