import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createTestDatabase, type DatabaseHandle } from "@orchestrator/db";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";

const BIN = join(import.meta.dirname, "../../apps/cli/bin/orchestrator.js");
const run = promisify(execFile);

/**
 * The path a new user takes: `orchestrator up` (what `npm start` runs), then
 * the CLI against it, killing a demo instance's process and bringing it back.
 */
describe("orchestrator up (npm start) end to end", () => {
  let up: ChildProcess;
  let env: NodeJS.ProcessEnv;
  let stdout = "";
  let dataDir: string;
  let database: (DatabaseHandle & { url?: string }) | undefined;
  const extra: ChildProcess[] = [];

  const cli = async (...args: string[]) => (await run(process.execPath, [BIN, ...args], { env })).stdout.trim();

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "orch-up-"));
    const port = await freePort();
    env = { ...process.env, ORCHESTRATOR_PORT: String(port), ORCHESTRATOR_DATA_DIR: dataDir, ORCHESTRATOR_ADDR: `127.0.0.1:${port}`, LOG_LEVEL: "warn" };
    if (process.env.DATABASE_URL) {
      database = await createTestDatabase();
      env.DATABASE_URL = database.url;
    }
    up = spawn(process.execPath, [BIN, "up", "--demo", "3"], { env, stdio: ["ignore", "pipe", "inherit"] });
    up.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    await waitFor("the control plane to print what to try next", () => stdout.includes("Try:"), { timeoutMs: 90_000, intervalMs: 100 });
  }, 120_000);

  afterAll(async () => {
    for (const c of extra) c.kill("SIGKILL");
    if (up && up.exitCode === null) {
      const exited = new Promise((r) => up.once("exit", r));
      up.kill("SIGTERM");
      await exited;
    }
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints exactly the health map as JSON", async () => {
    expect(await cli("health", "--instances", "A-C", "--output", "json")).toBe('{"A":"healthy","B":"healthy","C":"healthy"}');
  });

  it("answers Connect JSON over HTTP/1.1 (what curl sends)", async () => {
    const res = await fetch(`http://${env.ORCHESTRATOR_ADDR}/orchestrator.health.v1.HealthService/CheckHealth`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ instances: ["A-C"] }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ statuses: { A: "healthy", B: "healthy", C: "healthy" } });
  });

  it("prints the web console's address, which serves the console", async () => {
    const url = /Web console: (http:\/\/\S+)/.exec(stdout)?.[1];
    expect(url).toBe(`http://${env.ORCHESTRATOR_ADDR}/`);
    const res = await fetch(url!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("reports a killed instance down, stops matching it with @healthy, and recovers it", async () => {
    const pid = Number(/B=(\d+)/.exec(stdout)?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, "SIGKILL");
    await waitFor("B down", async () => JSON.parse(await cli("health", "--instances", "B", "--output", "json")).B === "down");
    const healthy = JSON.parse(await cli("--json", "instances", "list", "@healthy")) as Array<{ name: string }>;
    expect(healthy.map((i) => i.name).sort()).toEqual(["A", "C"]);

    const back = spawn(process.execPath, [BIN, "demo-instance", "--name", "B"], { env, stdio: "ignore" });
    extra.push(back);
    await waitFor("B healthy again", async () => JSON.parse(await cli("health", "--instances", "B", "--output", "json")).B === "healthy");
  });

  it("hosts the mailbox too: a group send reaches the demo instances, read back with check", async () => {
    const sent = JSON.parse(await cli("--json", "send", "--to", "@all", "--from", "coordinator", "--subject", "hello", "--type", "dispatch")) as {
      messages: Array<{ to: string }>;
    };
    expect(sent.messages.map((m) => m.to).sort()).toEqual(["A", "B", "C"]);
    const checked = JSON.parse(await cli("--json", "check", "--handle", "B", "--unread")) as { messages: Array<{ subject: string; type: string }> };
    expect(checked.messages.map((m) => [m.subject, m.type])).toEqual([["hello", "dispatch"]]);
  });

  it("reports a hung instance (process stopped, socket open) down, and healthy once it resumes", async () => {
    const pid = Number(/C=(\d+)/.exec(stdout)?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, "SIGSTOP");
    try {
      await waitFor("C down", async () => JSON.parse(await cli("health", "--instances", "C", "--output", "json")).C === "down");
    } finally {
      process.kill(pid, "SIGCONT");
    }
    await waitFor("C healthy again", async () => JSON.parse(await cli("health", "--instances", "C", "--output", "json")).C === "healthy");
  });

  it("fails with a clear error naming a malformed selector", async () => {
    const err = await cli("health", "--instances", "kite-5..1").catch((e: { stderr: string; code: number }) => e);
    expect(typeof err).toBe("object");
    const { stderr, code } = err as { stderr: string; code: number };
    expect(code).toBe(1);
    expect(stderr).toContain("INVALID_ARGUMENT");
    expect(stderr).toContain("kite-5..1");
  });
});
