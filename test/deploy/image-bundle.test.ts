import { execFile, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { grpcHealth } from "@orchestrator/contracts";
import { createTestDatabase, migrations, testDatabaseAdminUrl, type TestDatabase } from "@orchestrator/db";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { readImageCommand } from "../support/image-command.js";
import { REPO_ROOT } from "../support/render-kustomize.js";

const run = promisify(execFile);

/**
 * What the runtime stage of deploy/Dockerfile holds, laid out in a temporary
 * directory: package.json, apps/cli/{package.json,bin,dist} from
 * `npm run build`, and node_modules (linked: the image installs production
 * dependencies, a superset is fine to prove nothing reads the sources). No
 * src/, so bin/orchestrator.js runs the bundle, as in the image.
 */
describe("the image's contents: the bundled CLI without sources", () => {
  let root: string;
  let bin: string;
  const image = readImageCommand();

  beforeAll(async () => {
    await run("npm", ["run", "build"], { cwd: REPO_ROOT });
    root = mkdtempSync(join(tmpdir(), "orch-image-"));
    const cli = join(root, "apps/cli");
    mkdirSync(cli, { recursive: true });
    for (const part of ["package.json", "bin", "dist"]) cpSync(join(REPO_ROOT, "apps/cli", part), join(cli, part), { recursive: true });
    cpSync(join(REPO_ROOT, "package.json"), join(root, "package.json"));
    symlinkSync(join(REPO_ROOT, "node_modules"), join(root, "node_modules"), "dir");
    bin = image.entrypoint[1]!.replace(`${image.workdir}/`, `${root}/`);
  }, 120_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const orchestrator = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    run(process.execPath, [bin, ...args], { cwd: root, env: { PATH: process.env.PATH, ...env } });

  it("prints the help of the image's default command, listing serve and migrate", async () => {
    const { stdout } = await orchestrator(image.cmd as string[]);
    expect(stdout).toMatch(/^Usage: orchestrator/);
    expect(stdout).toMatch(/\n\s+serve (\[options\] )?<services\.\.\.>/);
    expect(stdout).toMatch(/\n\s+migrate\b/);
  });

  describe.skipIf(!testDatabaseAdminUrl())("on real Postgres", () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase({ migrate: false });
    });
    afterAll(async () => database?.close());

    it("migrates with the Job's command, then serves health as the Deployment does, and stops on SIGTERM", async () => {
      const env = { DATABASE_URL: database.url!, LOG_LEVEL: "warn" };
      const migrated = await orchestrator(["--json", "migrate"], env);
      expect(JSON.parse(migrated.stdout)).toEqual({ applied: Object.keys(migrations) });

      const port = await freePort();
      const child = spawn(process.execPath, [bin, "serve", "health"], {
        cwd: root,
        env: { ...env, PATH: process.env.PATH, ORCHESTRATOR_HOST: "127.0.0.1", ORCHESTRATOR_PORT: String(port) },
        stdio: "ignore",
      });
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      try {
        const health = createClient(grpcHealth.Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }));
        const status = await waitFor(
          "the bundled health service to be SERVING",
          async () => (await health.check({ service: "orchestrator.health.v1.HealthService" })).status === grpcHealth.HealthCheckResponse_ServingStatus.SERVING,
          { timeoutMs: 30_000, intervalMs: 100 },
        );
        expect(status).toBe(true);
      } finally {
        child.kill("SIGTERM");
      }
      expect(await exited).toBe(0);
    }, 60_000);
  });
});
