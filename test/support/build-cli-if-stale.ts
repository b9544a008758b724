import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writePgliteTemplate } from "@orchestrator/db";

/**
 * Vitest global setup: brings the CLI bundle up to date with the sources
 * before any test runs (`scripts/build.mjs --if-stale`, a no-op when it is
 * fresh), because bin/orchestrator.js runs the bundle whenever there is one.
 * Every CLI process a test starts then runs today's code, and starts fast.
 * The web console's assets too (as `npm start` does), so a fresh clone's
 * `npm test` finds the console that `up` serves.
 *
 * On PGlite (no DATABASE_URL) it also writes one migrated PGlite data
 * directory dump for the run (PGLITE_TEMPLATE, inherited by the test
 * processes), so createTestDatabase loads it instead of running initdb and
 * every migration per test database; removed when the run ends.
 */
export default async function setup(): Promise<() => void> {
  const root = join(import.meta.dirname, "../..");
  execFileSync(process.execPath, [join(root, "scripts/build.mjs"), "--if-stale"], { stdio: "inherit", cwd: root });
  execFileSync(process.execPath, [join(root, "apps/console/build-console.mjs"), "--if-stale", "--quiet"], { stdio: "inherit", cwd: root });
  if (process.env.DATABASE_URL) return () => {};
  const dir = mkdtempSync(join(tmpdir(), "orch-pglite-template-"));
  process.env.PGLITE_TEMPLATE = join(dir, "migrated.tar");
  await writePgliteTemplate(process.env.PGLITE_TEMPLATE);
  return () => rmSync(dir, { recursive: true, force: true });
}
