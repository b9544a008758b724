import { execFileSync } from "node:child_process";
import { join } from "node:path";

/**
 * Vitest global setup: brings the CLI bundle up to date with the sources
 * before any test runs (`scripts/build.mjs --if-stale`, a no-op when it is
 * fresh), because bin/orchestrator.js runs the bundle whenever there is one.
 * Every CLI process a test starts then runs today's code, and starts fast.
 */
export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, "../../scripts/build.mjs"), "--if-stale"], { stdio: "inherit", cwd: join(import.meta.dirname, "../..") });
}
