import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { grpcHealth } from "@orchestrator/contracts";
import { createTestDatabase, type DatabaseHandle } from "@orchestrator/db";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";

const BIN = join(import.meta.dirname, "../../apps/cli/bin/orchestrator.js");
const run = promisify(execFile);

type Failure = { code: number; stderr: string };
const failure = (e: unknown) => e as Failure;

describe("orchestrator serve", () => {
  it("refuses to listen beyond loopback without an API key, saying what to set", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, ORCHESTRATOR_HOST: "0.0.0.0", ORCHESTRATOR_PORT: String(await freePort()), ORCHESTRATOR_DATA_DIR: mkdtempSync(join(tmpdir(), "orch-serve-")) };
    delete env.ORCHESTRATOR_API_KEY;
    const err = await run(process.execPath, [BIN, "serve", "health"], { env }).catch(failure);
    expect((err as Failure).code).toBe(1);
    expect((err as Failure).stderr).toContain("ORCHESTRATOR_API_KEY");
    rmSync(env.ORCHESTRATOR_DATA_DIR!, { recursive: true, force: true });
  });

  it("rejects an unknown service by name", async () => {
    const err = await run(process.execPath, [BIN, "serve", "nosuch"], { env: process.env }).catch(failure);
    expect((err as Failure).stderr).toContain('unknown service "nosuch"');
  });

  describe("with API keys configured", () => {
    let server: ChildProcess;
    let env: NodeJS.ProcessEnv;
    let dataDir: string;
    let database: (DatabaseHandle & { url?: string }) | undefined;
    const cli = (...args: string[]) => run(process.execPath, [BIN, ...args], { env });

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), "orch-serve-"));
      const port = await freePort();
      env = { ...process.env, ORCHESTRATOR_PORT: String(port), ORCHESTRATOR_ADDR: `127.0.0.1:${port}`, ORCHESTRATOR_DATA_DIR: dataDir, ORCHESTRATOR_API_KEY: "old-key,new-key", LOG_LEVEL: "warn" };
      if (process.env.DATABASE_URL) {
        database = await createTestDatabase();
        env.DATABASE_URL = database.url;
      }
      server = spawn(process.execPath, [BIN, "serve", "health"], { env, stdio: "ignore" });
      await waitFor("the server to answer", async () => (await cli("instances", "list")).stdout.length > 0, { timeoutMs: 60_000, intervalMs: 200 });
    }, 90_000);

    afterAll(async () => {
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((r) => server.once("exit", r));
        server.kill("SIGTERM");
        await exited;
      }
      await database?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("answers UNAUTHENTICATED without a key or with a wrong one, and accepts every configured key", async () => {
      const noKey = { ...env, ORCHESTRATOR_API_KEY: "" };
      const missing = await run(process.execPath, [BIN, "instances", "list"], { env: noKey }).catch(failure);
      expect((missing as Failure).stderr).toContain("UNAUTHENTICATED");
      const wrong = await run(process.execPath, [BIN, "--api-key", "guess", "instances", "list"], { env: noKey }).catch(failure);
      expect((wrong as Failure).stderr).toContain("UNAUTHENTICATED");
      expect((wrong as Failure).stderr).not.toContain("old-key");
      for (const key of ["old-key", "new-key"]) {
        const ok = await run(process.execPath, [BIN, "--api-key", key, "--json", "instances", "list"], { env: noKey });
        expect(JSON.parse(ok.stdout)).toEqual([]);
      }
    });

    it("keeps grpc.health.v1 open without a key", async () => {
      const health = createClient(grpcHealth.Health, createGrpcTransport({ baseUrl: `http://${env.ORCHESTRATOR_ADDR}` }));
      const res = await health.check({ service: "" });
      expect(res.status).toBe(grpcHealth.HealthCheckResponse_ServingStatus.SERVING);
    });

    it("stops gracefully on SIGTERM with exit code 0", async () => {
      const exited = new Promise<number | null>((r) => server.once("exit", (code) => r(code)));
      server.kill("SIGTERM");
      expect(await exited).toBe(0);
    });
  });
});
