import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type DatabaseHandle } from "@orchestrator/db";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { runOrchestrator, type CliRun } from "../support/run-orchestrator.js";

const BIN = join(import.meta.dirname, "../../apps/cli/bin/orchestrator.js");
const FAKE_AGENT = join(import.meta.dirname, "fake-agent.mjs");

interface InstanceJson {
  name: string;
  health: string;
  activity: string;
  allocatedTo?: string;
}
interface ContextJson {
  instance: string;
  status: string;
  error?: string;
  attempt: number;
}
interface FakeResult {
  agent: string;
  task: string;
  input: string;
  cwd: string;
}

/**
 * Issue 6 end to end, the way an operator runs it: `orchestrator up` with a
 * pool template (a local git repository with scripts/dev-setup.sh, the
 * scripted fake agent as the agent command, min 3, max 4). The pool's local
 * provisioner starts kite-1..3; a DAG run, pool dispatch with provisioning
 * of kite-4, the pool's maximum, push-on-idle banners, failing runs and a
 * killed agent are driven through the CLI. The fake agent blocks on
 * `wait-file:<path>` until the test creates the file, so nothing here
 * depends on timing.
 */
describe("coding agents as instances: pools, provisioning and the agent runner", { timeout: 180_000 }, () => {
  let up: ChildProcess;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let pools: string;
  let upOutput = "";
  let database: (DatabaseHandle & { url?: string }) | undefined;

  const cli = (...args: string[]): Promise<CliRun> => runOrchestrator(env.ORCHESTRATOR_ADDR!, ...args);
  const json = async <T>(...args: string[]): Promise<T> => {
    const run = await cli("--json", ...args);
    if (run.code !== 0) throw new Error(`orchestrator ${args.join(" ")} failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as T;
  };
  // `--json` prints the proto JSON: enum names (`HEALTH_STATE_HEALTHY`), read here as `healthy`.
  const kite = async () =>
    (await json<InstanceJson[]>("instances", "list", "@pool:kite"))
      .map((i) => ({ ...i, health: i.health.replace("HEALTH_STATE_", "").toLowerCase(), activity: i.activity.replace("ACTIVITY_", "").toLowerCase() }))
      .sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
  const gate = (name: string) => join(dir, "go", name);
  const open = (name: string) => writeFileSync(gate(name), "go");
  const contexts = async (task: string) => (await json<{ history: ContextJson[] }>("dispatch-show", "--task", task)).history;
  const taskResult = async (task: string) => (await json<{ task: { status: string; result?: FakeResult } }>("task", "get", "--id", task)).task;
  const completed = (task: string) => waitFor(`task ${task} completed`, async () => ((await taskResult(task)).status === "completed" ? taskResult(task) : undefined), { timeoutMs: 60_000, intervalMs: 200 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "orch-agents-"));
    mkdirSync(join(dir, "go"));
    // The repository every agent's working copy is cloned from.
    const repo = join(dir, "kite-src");
    mkdirSync(join(repo, "scripts"), { recursive: true });
    writeFileSync(join(repo, "README.md"), "kite\n");
    writeFileSync(join(repo, "scripts", "dev-setup.sh"), '#!/bin/bash\nset -e\necho "setting up"\ntouch .dev-setup-done\necho "ready"\n', { mode: 0o755 });
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { stdio: "ignore" });
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "init");
    pools = join(dir, "pools");
    const poolsFile = join(dir, "pools.yaml");
    writeFileSync(
      poolsFile,
      [
        "pools:",
        "  kite:",
        `    repo: ${JSON.stringify(repo)}`,
        `    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(FAKE_AGENT)}]`,
        "    min: 3",
        "    max: 4",
        `    workdirRoot: ${JSON.stringify(pools)}`,
        "    runTimeout: 2m",
        "",
      ].join("\n"),
    );
    const port = await freePort();
    env = {
      ...process.env,
      ORCHESTRATOR_PORT: String(port),
      ORCHESTRATOR_ADDR: `127.0.0.1:${port}`,
      ORCHESTRATOR_DATA_DIR: join(dir, "data"),
      ORCHESTRATOR_POOLS_FILE: poolsFile,
      // Heartbeats every second; a loaded machine misses some. An agent counted down by mistake has its task
      // timed out and the pool refilled to its minimum (kite-4 early), so give it 10 s, as the seed tests do.
      ORCHESTRATOR_HEARTBEAT_TIMEOUT_MS: "10000",
      LOG_LEVEL: "warn",
    };
    delete env.ORCHESTRATOR_API_KEY;
    delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
    if (process.env.DATABASE_URL) {
      database = await createTestDatabase();
      env.DATABASE_URL = database.url;
    }
    up = spawn(process.execPath, [BIN, "up", "--demo", "0"], { env, stdio: ["ignore", "pipe", "pipe"] });
    up.stdout!.on("data", (chunk: Buffer) => (upOutput += chunk.toString()));
    up.stderr!.on("data", (chunk: Buffer) => (upOutput += chunk.toString()));
    await waitFor("the pool's minimum: kite-1..3 healthy and idle", async () => {
      const members = await kite().catch(() => []);
      return members.length === 3 && members.every((i) => i.health === "healthy" && i.activity === "idle");
    }, { timeoutMs: 120_000, intervalMs: 250 });
  }, 150_000);

  afterAll(async () => {
    if (up && up.exitCode === null) {
      const exited = new Promise((r) => up.once("exit", r));
      up.kill("SIGTERM");
      await exited;
    }
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("provisioned the minimum from the template: working copies cloned and set up", async () => {
    expect((await kite()).map((i) => i.name)).toEqual(["kite-1", "kite-2", "kite-3"]);
    for (const name of ["kite-1", "kite-2", "kite-3"]) {
      expect(readFileSync(join(pools, name, "README.md"), "utf8")).toBe("kite\n");
      expect(existsSync(join(pools, name, ".dev-setup-done"))).toBe(true);
    }
  });

  it("runs a 6-task DAG on @pool:kite; each result is the fake agent's output; activity changes while it runs", async () => {
    const spec = {
      target: "@pool:kite",
      maxConcurrency: 3,
      tasks: [
        { id: "design", spec: "design the login flow" },
        { id: "api", spec: "build the login API noisy:3", deps: ["design"] },
        { id: "ui", spec: "build the login form", deps: ["design"] },
        { id: "docs", spec: "document the login flow", deps: ["design"] },
        { id: "tests", spec: "test the login flow", deps: ["api", "ui"] },
        { id: "ship", spec: "ship the login flow", deps: ["tests", "docs"] },
      ],
    };
    // The first task holds its run until the test has seen it running in `instances list`.
    spec.tasks[0]!.spec = `design the login flow wait-file:${gate("design")}`;
    const running = cli("--json", "run", "--spec", JSON.stringify(spec), "--follow");
    const busy = await waitFor("an agent running the first task", async () => (await kite()).find((i) => i.activity === "running"));
    open("design");
    const run = await running;
    expect(run.code, `run --follow failed: ${run.stderr}\nlast event: ${run.stdout.trim().split("\n").at(-1)}\n${upOutput.slice(-4000)}`).toBe(0);
    const finished = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { run: { status: string; result: { results: Record<string, FakeResult> } } };
    expect(finished.run.status).toBe("done");
    const results = finished.run.result.results;
    expect(Object.keys(results).sort()).toEqual(["api", "design", "docs", "ship", "tests", "ui"]);
    for (const task of spec.tasks) {
      const result = results[task.id]!;
      expect(result.agent).toMatch(/^kite-[1-3]$/);
      expect(result.input).toContain(task.spec);
      expect(result.input).toContain("--type worker_done");
      expect(result.cwd).toBe(join(pools, result.agent));
    }
    expect(results["design"]!.agent).toBe(busy.name);
    await waitFor("every agent free again (completed or idle)", async () => (await kite()).every((i) => ["idle", "completed", "error"].includes(i.activity) && !i.allocatedTo));
  });

  it("dispatch --pool with every agent busy provisions kite-4; at the maximum it fails, or waits with --wait", async () => {
    const busy: string[] = [];
    for (const n of [1, 2, 3]) {
      const res = await json<{ task: { id: string }; dispatch: { instance: string } }>("dispatch", "--pool", "kite", "--command", `hold wait-file:${gate(`busy-${n}`)}`);
      busy.push(res.dispatch.instance);
    }
    expect(busy.sort()).toEqual(["kite-1", "kite-2", "kite-3"]);
    await waitFor("three agents running", async () => (await kite()).filter((i) => i.activity === "running").length === 3);

    const fourth = await cli("dispatch", "--pool", "kite", "--command", `fourth wait-file:${gate("fourth")}`);
    expect(fourth.code).toBe(0);
    expect(fourth.stdout).toContain("allocated kite-4 from pool kite (provisioned for this task)");
    expect(existsSync(join(pools, "kite-4", ".dev-setup-done"))).toBe(true);
    expect(readFileSync(join(pools, "kite-4", "README.md"), "utf8")).toBe("kite\n");

    const full = await cli("dispatch", "--pool", "kite", "--command", "fifth");
    expect(full.code).not.toBe(0);
    expect(full.stderr).toContain("RESOURCE_EXHAUSTED");
    expect(full.stderr).toContain("kite");

    const waiting = cli("--json", "dispatch", "--pool", "kite", "--command", "fifth, after waiting", "--wait", "--wait-timeout", "2m");
    open("busy-1");
    const fifth = await waiting;
    expect(fifth.code).toBe(0);
    const dispatched = JSON.parse(fifth.stdout) as { task: { id: string }; dispatch: { instance: string } };
    expect(dispatched.dispatch.instance).toMatch(/^kite-[1-4]$/);
    for (const name of ["busy-2", "busy-3", "fourth"]) open(name);
    expect((await completed(dispatched.task.id)).result!.input).toContain("fifth, after waiting");
    expect((await kite()).map((i) => i.name)).toEqual(["kite-1", "kite-2", "kite-3", "kite-4"]);
    await waitFor("every agent free again", async () => (await kite()).every((i) => ["idle", "completed", "error"].includes(i.activity) && !i.allocatedTo));
  });

  it("a message sent to a running agent reaches its next run as a banner", async () => {
    const first = await json<{ task: { id: string } }>("dispatch", "--to", "kite-2", "--inject", "--command", `long job wait-file:${gate("banner")}`);
    await waitFor("kite-2 running", async () => (await kite()).find((i) => i.name === "kite-2")?.activity === "running");
    await json("send", "--from", "reviewer", "--to", "kite-2", "--type", "handoff", "--priority", "high", "--subject", "take over the flaky test", "--body", "see CI run 42");
    open("banner");
    await completed(first.task.id);
    const second = await json<{ task: { id: string } }>("dispatch", "--to", "kite-2", "--inject", "--command", "next job");
    const input = (await completed(second.task.id)).result!.input;
    expect(input).toContain("[HIGH]");
    expect(input).toContain("take over the flaky test");
    expect(input.indexOf("take over the flaky test")).toBeLessThan(input.indexOf("next job"));
    expect((await completed(first.task.id)).result!.input).not.toContain("take over the flaky test");
  });

  it("a run that exits non-zero is an escalation: retried on other agents until the circuit breaks", async () => {
    await json("task", "create", "--id", "crashy", "--spec", "fail:3", "--target", "@pool:kite");
    await json("dispatch", "--task", "crashy");
    await waitFor("task failed", async () => (await taskResult("crashy")).status === "failed", { timeoutMs: 60_000, intervalMs: 200 });
    const history = await contexts("crashy");
    expect(history.map((c) => c.status)).toEqual(["failed", "failed", "circuit_broken"]);
    expect(new Set(history.map((c) => c.instance)).size).toBe(3);
    expect(history[0]!.error).toContain("exit 3");
  });

  it("killing an agent mid-task: it goes down and the task is re-dispatched to another agent of the pool", async () => {
    const res = await json<{ task: { id: string }; dispatch: { instance: string } }>("dispatch", "--pool", "kite", "--command", `victim wait-file:${gate("victim")}`);
    const victim = res.dispatch.instance;
    await waitFor(`${victim} running`, async () => (await kite()).find((i) => i.name === victim)?.activity === "running");
    const pid = Number(execFileSync("pgrep", ["-f", `agent --name ${victim} `]).toString().trim().split("\n")[0]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, "SIGKILL");
    await waitFor(`${victim} down`, async () => (await kite()).find((i) => i.name === victim)?.health === "down", { timeoutMs: 60_000 });
    const history = await waitFor("re-dispatched", async () => {
      const h = await contexts(res.task.id);
      return h.length >= 2 ? h : undefined;
    }, { timeoutMs: 30_000 });
    expect(history[0]).toMatchObject({ instance: victim, status: "timed_out" });
    expect(history[1]!.instance).not.toBe(victim);
    expect(history[1]!.instance).toMatch(/^kite-\d$/);
    open("victim");
    expect((await completed(res.task.id)).result!.agent).toBe(history.at(-1)!.instance);
  });

  it("bad configuration fails at start with what to fix", async () => {
    const noRepo = join(dir, "no-repo.yaml");
    writeFileSync(noRepo, `pools:\n  kite:\n    command: [claude, -p]\n    max: 2\n`);
    const bad = await new Promise<CliRun>((resolve) => {
      execFile(process.execPath, [BIN, "up", "--demo", "0"], { env: { ...env, ORCHESTRATOR_PORT: "0", ORCHESTRATOR_POOLS_FILE: noRepo } }, (error, stdout, stderr) =>
        resolve({ code: error ? 1 : 0, stdout, stderr }),
      );
    });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("pools.kite.repo");

    const noCommand = await cli("agent", "--name", "kite-9", "--pool", "kite", "--workdir", dir);
    expect(noCommand.code).not.toBe(0);
    expect(noCommand.stderr).toContain("no agent command");
    const noWorkdir = await cli("agent", "--name", "kite-9", "--pool", "kite", "--workdir", join(dir, "missing"), "--", "claude", "-p");
    expect(noWorkdir.code).not.toBe(0);
    expect(noWorkdir.stderr).toContain(join(dir, "missing"));
  });
});
