import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HealthService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { testLogger, waitFor } from "@orchestrator/testing";
import { createDemoHandler, startWorker, type RunningWorker } from "@orchestrator/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../support/start-stack.js";
import { waitForRouterView } from "../support/wait-router-view.js";


/**
 * Probing that a loaded 2-core machine (the whole suite, other agents) does
 * not turn into flapping: a stalled event loop can miss a few probes, while a
 * killed process still fails its probes at once (connection refused).
 */
const PROBE_ENV = { ORCHESTRATOR_PROBE_INTERVAL_MS: "250", ORCHESTRATOR_PROBE_TIMEOUT_MS: "5000", ORCHESTRATOR_PROBE_FAILURE_THRESHOLD: "3" };

/**
 * The Python SDK (sdk/python) against a control plane started here: it is
 * pip-installed into a venv made with --system-site-packages over Debian's
 * python3-grpcio and python3-protobuf, and its unittest suite runs with
 * the system interpreter (/usr/bin/python3). TypeScript instances A-C (pool
 * demo) and ts-mixed (pool mixed, the fallback of the killed Python worker)
 * serve beside it. Outside CI the file skips when Debian's packages are
 * missing; in CI (CI=true) that is a failure, and it runs in the real
 * Postgres pass only.
 */
const PYTHON = "/usr/bin/python3";

/** Runs a command without blocking the event loop (the control plane under test runs in this process). */
function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, output }));
  });
}
const SDK = join(import.meta.dirname, "../../sdk/python");
const KEY = "python-sdk-key";

const probe = spawnSync(PYTHON, ["-c", "import grpc, google.protobuf, venv, ensurepip"], { encoding: "utf8" });
const havePython = probe.status === 0;
const inCi = process.env.CI === "true";
if (!havePython && !inCi) {
  console.warn(
    "test/python/python-sdk.test.ts skipped: /usr/bin/python3 with grpcio, protobuf and venv is missing (apt-get install python3-grpcio python3-protobuf python3-venv python3-pip)",
  );
}

/** CI runs the suite twice (real Postgres, then PGlite); the SDK's run needs one of them, the real Postgres one. */
const ciSecondPass = inCi && !process.env.DATABASE_URL;

describe.skipIf((!havePython && !inCi) || ciSecondPass)("Python SDK", () => {
  let stack: Stack;
  let venv: string;
  const workers: RunningWorker[] = [];

  beforeAll(async () => {
    expect(probe.status, `Debian's Python packages are missing in CI: ${probe.stderr}`).toBe(0);
    stack = await startStack({ services: ["health", "router", "mailbox", "scheduler"], env: { ...PROBE_ENV, ORCHESTRATOR_API_KEY: KEY } });
    const instances: Array<[string, string]> = [["A", "demo"], ["B", "demo"], ["C", "demo"], ["ts-mixed", "mixed"]];
    for (const [name, pool] of instances) {
      workers.push(await startWorker({ name, pool, controlPlane: stack.address, apiKey: KEY, handler: createDemoHandler({ instance: name }), logger: testLogger() }));
    }
    const health = createServiceClient(HealthService, { address: stack.address, apiKey: KEY, timeoutMs: 5000 });
    const names = instances.map(([n]) => n);
    await waitFor("the TypeScript instances healthy", async () => {
      const { statuses } = await health.checkHealth({ instances: names });
      return names.every((n) => statuses[n] === "healthy");
    }, { timeoutMs: 60_000, intervalMs: 100 });
    await waitForRouterView(stack, names);

    // Install the SDK as a user would: pip, a venv over the system packages, no index.
    const dir = mkdtempSync(join(tmpdir(), "orch-pysdk-"));
    venv = join(dir, "venv");
    cpSync(SDK, join(dir, "sdk"), { recursive: true, filter: (src) => !/(__pycache__|\.egg-info|\/build)$/.test(src) });
    const made = await run(PYTHON, ["-m", "venv", "--system-site-packages", venv]);
    expect(made.status, made.output).toBe(0);
    const pip = await run(join(venv, "bin/pip"), ["install", "--quiet", "--no-build-isolation", "--no-index", join(dir, "sdk")]);
    expect(pip.status, pip.output).toBe(0);
  }, 240_000);

  afterAll(async () => {
    for (const w of workers) await w.close();
    await stack?.close();
    if (venv) rmSync(join(venv, ".."), { recursive: true, force: true });
  });

  it("runs the SDK's unittest suite: client, worker helper, the seed's requests snippet", async () => {
    const { status, output } = await run(join(venv, "bin/python"), ["-m", "unittest", "discover", "-v", "-s", "tests", "-t", "."], {
      cwd: SDK,
      env: {
        ...process.env,
        PYTHONDONTWRITEBYTECODE: "1",
        PYTHONPATH: "", // the installed package, not the source tree
        ORCHESTRATOR_TEST_ADDR: stack.address,
        ORCHESTRATOR_TEST_API_KEY: KEY,
        ORCHESTRATOR_TEST_TS_FALLBACK: "ts-mixed",
      },
    });
    expect(status, output).toBe(0);
    expect(output).not.toMatch(/skipped/);
    expect(output).toMatch(/^OK$/m);
  }, 300_000);
});
