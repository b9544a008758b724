import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createTestDatabase, type DatabaseHandle } from "@orchestrator/db";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";

const BIN = join(import.meta.dirname, "../../apps/cli/bin/orchestrator.js");
const run = promisify(execFile);
type Failure = { code: number; stderr: string };

// Pool templates through the real process: `serve health` reads ORCHESTRATOR_POOLS_FILE at start.
describe("orchestrator serve health with ORCHESTRATOR_POOLS_FILE", () => {
  let dir: string;
  let database: (DatabaseHandle & { url?: string }) | undefined;
  const baseEnv = (): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, ORCHESTRATOR_DATA_DIR: join(dir, "data"), LOG_LEVEL: "warn" };
    delete env.ORCHESTRATOR_API_KEY;
    delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
    if (database?.url) env.DATABASE_URL = database.url;
    return env;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "orch-pools-e2e-"));
    mkdirSync(join(dir, "repo"));
    if (process.env.DATABASE_URL) database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses to start with a bad pools file, saying what to fix", async () => {
    writeFileSync(join(dir, "bad.yaml"), "pools:\n  kite:\n    command: [claude, -p]\n    max: 0\n");
    const env = { ...baseEnv(), ORCHESTRATOR_PORT: String(await freePort()), ORCHESTRATOR_POOLS_FILE: join(dir, "bad.yaml") };
    const err = (await run(process.execPath, [BIN, "serve", "health"], { env }).catch((e: unknown) => e)) as Failure;
    expect(err.code).toBe(1);
    expect(err.stderr).toContain(`pools file ${join(dir, "bad.yaml")}`);
    expect(err.stderr).toContain("pools.kite.repo is required: a git URL or a path to clone each agent's working copy from");
    expect(err.stderr).toContain("pools.kite.max must be ≥ 1");
  }, 90_000);

  describe("with a good pools file", () => {
    let server: ChildProcess;
    let env: NodeJS.ProcessEnv;
    const cli = (...args: string[]) => run(process.execPath, [BIN, ...args], { env });

    beforeAll(async () => {
      writeFileSync(join(dir, "pools.yaml"), "pools:\n  kite:\n    repo: ./repo\n    command: [claude, -p]\n    max: 3\n    idleShutdown: 10m\n");
      const port = await freePort();
      env = { ...baseEnv(), ORCHESTRATOR_PORT: String(port), ORCHESTRATOR_ADDR: `127.0.0.1:${port}`, ORCHESTRATOR_POOLS_FILE: join(dir, "pools.yaml") };
      server = spawn(process.execPath, [BIN, "serve", "health"], { env, stdio: "ignore" });
      await waitFor("the server to answer", async () => (await cli("pools")).stdout.length > 0, { timeoutMs: 60_000, intervalMs: 200 });
    }, 90_000);
    afterAll(async () => {
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((r) => server.once("exit", r));
        server.kill("SIGTERM");
        await exited;
      }
    });

    it("lists the pool with its limits (table and JSON)", async () => {
      const table = (await cli("pools")).stdout;
      expect(table).toMatch(/kite\s+file\s+local\s+.*repo\s+0\/3\s+10m/);
      const [pool] = JSON.parse((await cli("--json", "pools")).stdout);
      expect(pool).toMatchObject({ name: "kite", provisioner: "local", repo: join(dir, "repo"), max: 3, idleShutdown: "600s" });
    });

    it("allocate --no-provision on the empty pool fails RESOURCE_EXHAUSTED without provisioning", async () => {
      const err = (await cli("allocate", "--pool", "kite", "--no-provision").catch((e: unknown) => e)) as Failure;
      expect(err.code).toBe(1);
      expect(err.stderr).toContain("RESOURCE_EXHAUSTED");
      expect(err.stderr).toContain("no_idle_instance");
      expect(JSON.parse((await cli("--json", "pools")).stdout)[0].members ?? []).toEqual([]);
    });

    it("every new flag is in --help, with examples", async () => {
      expect((await cli("pools", "--help")).stdout).toContain("$ orchestrator pools --json");
      const help = (await cli("allocate", "--help")).stdout;
      for (const flag of ["--wait", "--timeout", "--no-provision", "$ orchestrator allocate --pool kite --wait --timeout 5m"]) expect(help).toContain(flag);
    });
  });
});
