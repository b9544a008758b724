import { execFileSync } from "node:child_process";
import { join } from "node:path";

/**
 * Vitest global setup: brings the CLI bundle up to date with the sources
 * before any test runs (`scripts/build.mjs --if-stale`, a no-op when it is
 * fresh), because bin/orchestrator.js runs the bundle whenever there is one.
 * Every CLI process a test starts then runs today's code, and starts fast.
 * The web console's assets too (as `npm start` does), so a fresh clone's
 * `npm test` finds the console that `up` serves.
 */
export default function setup(): void {
  const root = join(import.meta.dirname, "../..");
  execFileSync(process.execPath, [join(root, "scripts/build.mjs"), "--if-stale"], { stdio: "inherit", cwd: root });
  execFileSync(process.execPath, [join(root, "apps/console/build-console.mjs"), "--if-stale", "--quiet"], { stdio: "inherit", cwd: root });
}
