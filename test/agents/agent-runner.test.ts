import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { Activity, HealthService, HealthState, InstanceKind, MailboxService, ProbeMode, SchedulerService, type Message } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, orchestrator, startOrchestrator } from "../mailbox/cli.js";
import { startStack, type Stack } from "../support/start-stack.js";

/**
 * `orchestrator agent` as a child process, running the scripted fake agent
 * against a real control plane (health, router, mailbox, scheduler): the
 * scheduler dispatches to it like to any agent.
 */
const FAKE_AGENT = join(import.meta.dirname, "fake-agent.mjs");
const NAME = "kite-1";
let stack: Stack;
let env: NodeJS.ProcessEnv;
let workdir: string;
let agent: ReturnType<typeof startOrchestrator>;
/** Every activity WatchHealth showed for the agent, with its detail. */
const activities: string[] = [];
const watch = new AbortController();

const health = () => createServiceClient(HealthService, { address: stack.address });
const mailbox = () => createServiceClient(MailboxService, { address: stack.address });
const scheduler = () => createServiceClient(SchedulerService, { address: stack.address });

/** Creates a task and dispatches it to the agent with the preamble; answers the dispatch id. */
async function dispatch(id: string, spec: string, from?: string): Promise<string> {
  await scheduler().createTask({ id, spec });
  const res = await scheduler().dispatch({ taskId: id, to: NAME, inject: true, ...(from ? { from } : {}) });
  return res.dispatch!.id;
}

async function completedResult(id: string, timeoutMs?: number): Promise<{ agent: string; task: string; input: string; cwd: string }> {
  const task = await waitFor(
    `task ${id} to complete`,
    async () => {
      const { task } = await scheduler().getTask({ id });
      return task?.status === "completed" ? task : undefined;
    },
    timeoutMs ? { timeoutMs } : {},
  );
  return toJson(ValueSchema, task.result!) as { agent: string; task: string; input: string; cwd: string };
}

/** The message of `type` in `handle`'s mailbox on `thread`, once it is there. */
function received(handle: string, type: string, thread: string): Promise<Message> {
  return waitFor(`a ${type} to ${handle} in thread ${thread}`, async () => {
    const { messages } = await mailbox().check({ handle, types: [type], limit: 1000 });
    return messages.find((m) => m.threadId === thread);
  });
}

/**
 * Checks what WatchHealth showed of one run since `since`: the changes that
 * name the task follow the protocol's order (waiting, running, then `end`),
 * none repeated out of order. WatchHealth reads an instance when a change
 * is announced, so two changes close together may show as one: which
 * changes are seen is not asserted here, only their order.
 */
function expectRunActivities(since: number, task: string, end: string): void {
  const expected = [`waiting (task ${task})`, `running (task ${task})`, `${end} (task ${task}${end === "completed" ? ": exit 0" : ""}`];
  const seen = activities.slice(since).filter((a) => a.includes(`(task ${task}`));
  let at = 0;
  for (const activity of seen) {
    const index = expected.findIndex((e, i) => i >= at && activity.startsWith(e));
    expect(index, `${activity} after ${expected[at - 1] ?? "nothing"} in ${JSON.stringify(seen)}`).toBeGreaterThanOrEqual(0);
    at = index;
  }
}

beforeAll(async () => {
  // Heartbeats every second; a loaded machine may miss a few without the agent counting as down (its dispatch would time out).
  stack = await startStack({ services: ["health", "router", "mailbox", "scheduler"], env: { ORCHESTRATOR_HEARTBEAT_TIMEOUT_MS: "10000" } });
  env = cliEnv(stack.address);
  workdir = realpathSync(mkdtempSync(join(tmpdir(), "agent-e2e-")));
  agent = startOrchestrator(env, "agent", "--name", NAME, "--pool", "kite", "--label", "zone=a", "--workdir", workdir, "--heartbeat-interval", "200ms", "--", process.execPath, FAKE_AGENT);
  await waitFor(
    "the agent to register, healthy and idle",
    async () => {
      if (agent.exited()) throw new Error(`the agent exited: ${(await agent.done).stderr}`);
      const { instance } = await health().getInstance({ name: NAME });
      return instance?.health === HealthState.HEALTHY && instance.activity === Activity.IDLE;
    },
    { timeoutMs: 30_000 },
  );
  void (async () => {
    for await (const { instance } of health().watchHealth({ instances: [NAME] }, { signal: watch.signal, timeoutMs: 0 })) {
      const label = Activity[instance!.activity].toLowerCase();
      activities.push(instance!.activityDetail ? `${label} (${instance!.activityDetail})` : label);
    }
  })().catch(() => undefined);
}, 90_000);

afterAll(async () => {
  watch.abort();
  if (agent && !agent.exited()) {
    agent.child.kill("SIGKILL");
    await agent.done;
  }
  await stack?.close();
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

describe("orchestrator agent with the fake agent", { timeout: 90_000 }, () => {
  it("registers as an agent: kind agent, heartbeat probing, pool, labels and its AgentService address", async () => {
    const { instance } = await health().getInstance({ name: NAME });
    expect(instance).toMatchObject({ kind: InstanceKind.AGENT, probeMode: ProbeMode.HEARTBEAT, pool: "kite", labels: { agent: "node", worktree: basename(workdir), zone: "a" } });
    expect(instance!.address).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it("runs a dispatched task in its workdir; the task completes with the fake agent's JSON block as its result", async () => {
    const since = activities.length;
    const dispatchId = await dispatch("t-ok", "say hello noisy:3");
    const result = await completedResult("t-ok");
    expect(result).toMatchObject({ agent: NAME, task: "t-ok", cwd: workdir });
    expect(result.input).toContain(`You are ${NAME}. The orchestrator scheduler dispatched task t-ok to you (dispatch ${dispatchId}, attempt 1)`);
    expect(result.input).toContain("Task:\nsay hello noisy:3");
    const { current } = await scheduler().getDispatch({ taskId: "t-ok" });
    expect(current).toMatchObject({ id: dispatchId, status: "completed", instance: NAME });
    await waitFor("the agent to show completed, until the next dispatch", () => activities.at(-1)?.startsWith("completed (task t-ok") ?? false);
    expectRunActivities(since, "t-ok", "completed");
  });

  it("answers a dispatch through the MCP tools of the server the runner configured, instead of the CLI; the run completes", async () => {
    const since = activities.length;
    const dispatchId = await dispatch("t-mcp", "report through MCP: mcp-done");
    // The run starts `orchestrator mcp` (the CLI from source) before it answers: give it time on a busy machine.
    const result = await completedResult("t-mcp", 60_000);
    // The runner's own worker_done (exit 0, no JSON block) came after and was ignored: the result is the tool's.
    expect(result).toEqual({ via: "mcp", agent: NAME, task: "t-mcp", taught: true });
    const { current } = await scheduler().getDispatch({ taskId: "t-mcp" });
    expect(current).toMatchObject({ id: dispatchId, status: "completed", instance: NAME });
    await waitFor("the agent to show completed, until the next dispatch", () => activities.at(-1)?.startsWith("completed (task t-mcp") ?? false);
    expectRunActivities(since, "t-mcp", "completed");
    expect(await orchestrator(env, "agent", "tail", NAME, "--lines", "500")).toContain("fake-agent: answered through MCP");
  });

  it("answers a failed run with a high-priority escalation carrying the error and exit code, in the dispatch's thread", async () => {
    const since = activities.length;
    const dispatchId = await dispatch("t-fail", "fail:7", "tester");
    const escalation = await received("tester", "escalation", dispatchId);
    expect(escalation).toMatchObject({ from: NAME, priority: "high", subject: "task t-fail failed: exit 7" });
    expect(JSON.parse(escalation.payload)).toEqual({ task: "t-fail", dispatch: dispatchId, error: "exit 7", exitCode: 7 });
    expect(escalation.body).toContain("fake-agent: failing on purpose with exit 7");
    await waitFor("the agent to show error, until the next dispatch", () => activities.at(-1)?.startsWith("error (task t-fail") ?? false);
    expectRunActivities(since, "t-fail", "error");
  });

  it("reports running while a run holds; messages that arrive meanwhile (and its own handoff) are banners before the next run's preamble", async () => {
    const hold = join(workdir, "hold");
    const since = activities.length;
    await dispatch("t-hold", `hold on wait-file:${hold} handoff:${NAME}`);
    await waitFor("the run to hold", async () => {
      const { instance } = await health().getInstance({ name: NAME });
      return instance?.activity === Activity.RUNNING && instance.activityDetail === "task t-hold";
    });
    const status = JSON.parse(await orchestrator(env, "--json", "agent", "status", NAME)) as Record<string, unknown>;
    expect(status).toMatchObject({ name: NAME, pool: "kite", activity: "running", taskId: "t-hold", workdir, command: [process.execPath, FAKE_AGENT] });
    await waitFor("the run's handoff to be sent", async () => (await mailbox().inbox({ handle: NAME })).messages.some((m) => m.type === "handoff"));
    await mailbox().send({ to: NAME, from: "tester", type: "status", priority: "high", subject: "heads up: the API moved", body: "use /v2 from now on" });
    writeFileSync(hold, "");
    const held = await completedResult("t-hold");
    expect(held.input).not.toContain("MESSAGE from");

    await dispatch("t-next", "carry on");
    const next = await completedResult("t-next");
    const at = (text: string) => next.input.indexOf(text);
    expect(at(`=== [HIGH] MESSAGE from tester to ${NAME} (status) ===`)).toBeGreaterThanOrEqual(0);
    expect(at("use /v2 from now on")).toBeGreaterThan(0);
    expect(at(`MESSAGE from ${NAME} to ${NAME} (handoff)`)).toBeGreaterThanOrEqual(0);
    expect(at("(status) ===")).toBeLessThan(at(`You are ${NAME}.`));
    expect(at("(handoff) ===")).toBeLessThan(at(`You are ${NAME}.`));
    expect((await mailbox().check({ handle: NAME, unreadOnly: true })).messages).toEqual([]);

    await waitFor("the agent to show completed", () => activities.at(-1)?.startsWith("completed (task t-next") ?? false);
    expect(activities.slice(since)).toContain("running (task t-hold)");
    expectRunActivities(since, "t-hold", "completed");
    expectRunActivities(since, "t-next", "completed");
  });

  it("agent tail shows the fake agent's lines; --follow streams new ones until Ctrl-C", async () => {
    const tail = await orchestrator(env, "agent", "tail", NAME, "--lines", "500");
    expect(tail).toContain("[agent] run started: task t-ok");
    expect(tail).toContain(`fake-agent ${NAME}: task t-ok`);
    expect(tail).toContain("fake-agent noise 3/3 (task t-ok)");
    expect(tail).toContain(`fake-agent: working in ${workdir}`);

    const following = startOrchestrator(env, "agent", "tail", NAME, "--follow", "--lines", "1");
    await waitFor("the follower's first line", () => following.stdout().length > 0 || following.exited());
    await dispatch("t-noisy", "noisy:5");
    await waitFor("the new lines to reach the follower", () => following.stdout().includes("fake-agent noise 5/5 (task t-noisy)") || following.exited());
    following.child.kill("SIGINT");
    const { code, stdout } = await following.done;
    expect(code).toBe(0);
    expect(stdout).toContain("[agent] run started: task t-noisy");
    const json = (await orchestrator(env, "--json", "agent", "tail", NAME, "--lines", "2")).trim().split("\n").map((l) => JSON.parse(l) as { seq: string; stream: string });
    expect(json).toHaveLength(2);
    expect(Number(json[1]!.seq)).toBe(Number(json[0]!.seq) + 1);
    await completedResult("t-noisy");
  });

  it("registers again when the control plane forgets it (deregistered, or reset)", async () => {
    await health().deregisterInstance({ name: NAME });
    // Back with the activity it had: its last run's `completed` (it lasts until the next dispatch).
    await waitFor("the agent to be back, healthy and completed", async () => {
      const { instance } = await health().getInstance({ name: NAME });
      return instance?.kind === InstanceKind.AGENT && instance.health === HealthState.HEALTHY && instance.activity === Activity.COMPLETED;
    });
  });

  it("on SIGTERM kills the running command, answers its dispatch with an escalation, deregisters and exits 0", async () => {
    const since = activities.length;
    const dispatchId = await dispatch("t-hang", "hang", "tester");
    await waitFor("the run to start", async () => (await health().getInstance({ name: NAME })).instance?.activity === Activity.RUNNING);
    agent.child.kill("SIGTERM");
    const { code } = await agent.done;
    expect(code).toBe(0);
    const escalation = await received("tester", "escalation", dispatchId);
    expect(JSON.parse(escalation.payload)).toEqual({ task: "t-hang", dispatch: dispatchId, error: `agent ${NAME} shut down mid-task` });
    const gone = await health().getInstance({ name: NAME }).catch((e: unknown) => ConnectError.from(e).code);
    expect(gone).toBe(Code.NotFound);
    // Its last state, shown when it was removed.
    await waitFor("the shutdown error to show", () => activities.at(-1) === `error (task t-hang: agent ${NAME} shut down mid-task)`);
    expectRunActivities(since, "t-hang", "error");
  });
});

describe("orchestrator agent with a bad configuration", () => {
  it("fails at start with one line saying what to fix", async () => {
    const env = cliEnv("127.0.0.1:1");
    const missing = join(tmpdir(), "no-such-agent-workdir");
    const noDir = await orchestrator(env, "agent", "--name", "kite-9", "--pool", "kite", "--workdir", missing, "--", process.execPath).catch((e: { code: number; stderr: string }) => e);
    expect(noDir).toMatchObject({ code: 1, stderr: `error: workdir ${missing} does not exist: create it (mkdir -p ${missing}) or pass the agent's working copy with --workdir\n` });
    const noCommand = await orchestrator(env, "agent", "--name", "kite-9", "--pool", "kite", "--workdir", tmpdir()).catch((e: { code: number; stderr: string }) => e);
    expect(noCommand).toMatchObject({ code: 1, stderr: "error: no agent command: put it after --, e.g. orchestrator agent --name kite-1 --pool kite --workdir ~/kite -- claude -p\n" });
  }, 30_000);
});
