import { toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { errorReason } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeDeps, startScheduler, type FakeDeps, type SchedulerFixture } from "./test-support.js";
import { unavailable } from "./testing/fake-router-module.js";
import { rejection } from "./testing/rejection.js";
import { msDuration } from "./shared/duration.js";

let deps: FakeDeps;
let fx: SchedulerFixture;
const client = () => fx.client();
const echo = () => deps.router.setBehaviour((call) => ({ instance: call.instance, echo: call.payload }));
const status = async (id: string) => (await client().getTask({ id })).task!.status;
const settled = (id: string) => waitFor(`task ${id} final`, async () => ["completed", "failed"].includes(await status(id)));

beforeAll(async () => {
  deps = await startFakeDeps({
    instances: [
      { name: "A", pool: "svc" },
      { name: "B", pool: "svc" },
      { name: "C", pool: "svc" },
      { name: "K1", kind: "agent", pool: "agents" },
      { name: "K2", kind: "agent", pool: "agents" },
    ],
  });
  fx = await startScheduler({ deps, config: { leaseMs: 3000 } });
});
afterAll(async () => {
  await fx.close();
  await deps.close();
});
beforeEach(async () => {
  echo();
  await client().reset({ tasks: true });
  deps.router.calls.splice(0);
  deps.mailbox.messages.splice(0);
});

describe("dispatch to service instances (through the router)", () => {
  it("routes a ready task to the instance and completes it with the result; the context is separate from the task", async () => {
    await client().createTask({ id: "t1", spec: "build it", payload: undefined });
    const res = await client().dispatch({ taskId: "t1", to: "B" });
    expect(res.dispatch).toMatchObject({ taskId: "t1", attempt: 1, instance: "B", kind: "service", target: "B" });
    expect(res.task?.status).toBe("dispatched");
    await settled("t1");
    const task = (await client().getTask({ id: "t1" })).task!;
    expect(task).toMatchObject({ status: "completed", attempts: 1 });
    const call = deps.router.calls[0]!;
    expect(call).toMatchObject({ instance: "B", workId: "t1", maxAttempts: 1, payload: { task: "t1", spec: "build it" } });
    expect(call.metadata).toMatchObject({ task_id: "t1", dispatch_id: res.dispatch!.id, attempt: "1", instance: "B" });
    const show = await client().getDispatch({ taskId: "t1" });
    expect(show.current).toMatchObject({ id: res.dispatch!.id, status: "completed", owner: fx.module.replicaId });
    expect(show.history).toHaveLength(1);
  });

  it("refuses a task that is not ready, and changes nothing", async () => {
    await client().createTasks({ tasks: [{ id: "a", spec: "a" }, { id: "b", spec: "b", deps: ["a"] }] });
    const err = await rejection(client().dispatch({ taskId: "b", to: "A" }));
    expect(err.code).toBe(Code.FailedPrecondition);
    expect(errorReason(err)).toBe("task_not_ready");
    expect(err.rawMessage).toContain("pending");
    expect((await client().getDispatch({ taskId: "b" })).history).toEqual([]);
    expect(await status("b")).toBe("pending");
    expect(deps.router.calls).toEqual([]);
  });

  it("a target matching nothing is NOT_FOUND naming it, and the task stays ready", async () => {
    await client().createTask({ id: "a", spec: "a" });
    const err = await rejection(client().dispatch({ taskId: "a", to: "zz-*" }));
    expect(err.code).toBe(Code.NotFound);
    expect(err.rawMessage).toContain("zz-*");
    expect(await status("a")).toBe("ready");
  });

  it("re-dispatches a failed attempt to another instance of the target", async () => {
    let failed = "";
    deps.router.setBehaviour((call) => {
      if (!failed) {
        failed = call.instance;
        unavailable(`${call.instance} crashed`);
      }
      return { by: call.instance };
    });
    await client().createTask({ id: "t", spec: "t" });
    await client().dispatch({ taskId: "t", to: "@pool:svc" });
    await settled("t");
    const { history } = await client().getDispatch({ taskId: "t" });
    expect(history.map((c) => c.status)).toEqual(["failed", "completed"]);
    expect(history[0]!.instance).toBe(failed);
    expect(history[1]!.instance).not.toBe(failed);
    expect(history[0]!.error).toContain("crashed");
    expect((await client().getTask({ id: "t" })).task).toMatchObject({ status: "completed", attempts: 2 });
  });

  it("after 3 consecutive failures the context is circuit_broken, the task failed, and its dependents fail with it", async () => {
    deps.router.setBehaviour((call) => unavailable(`${call.instance} is broken`));
    await client().createTasks({ tasks: [{ id: "t", spec: "t", target: "@pool:svc" }, { id: "after", spec: "after", deps: ["t"] }] });
    await client().dispatch({ taskId: "t" });
    await settled("t");
    const { history, current } = await client().getDispatch({ taskId: "t" });
    expect(history.map((c) => [c.status, c.consecutiveFailures])).toEqual([
      ["failed", 1],
      ["failed", 2],
      ["circuit_broken", 3],
    ]);
    expect(new Set(history.map((c) => c.instance)).size).toBe(3);
    expect(current?.status).toBe("circuit_broken");
    expect((await client().getTask({ id: "t" })).task).toMatchObject({ status: "failed", failureReason: "circuit_broken" });
    expect((await client().getTask({ id: "after" })).task).toMatchObject({ status: "failed", failureReason: "dependency_failed", failedDependency: "t" });
    expect(deps.router.calls).toHaveLength(3);
  });

  it("honours a task's max_attempts as the breaker threshold", async () => {
    deps.router.setBehaviour(() => unavailable());
    await client().createTask({ id: "once", spec: "x", target: "A", maxAttempts: 1 });
    await client().dispatch({ taskId: "once" });
    await settled("once");
    expect((await client().getDispatch({ taskId: "once" })).history.map((c) => c.status)).toEqual(["circuit_broken"]);
  });
});

describe("dispatch to agents (through the mailbox)", () => {
  it("sends a dispatch message with the preamble; the agent's worker_done completes the task", async () => {
    await client().createTask({ id: "fix", spec: "fix the login button" });
    const res = await client().dispatch({ taskId: "fix", to: "K1", inject: true });
    expect(res.dispatch).toMatchObject({ kind: "agent", instance: "K1", replyTo: "scheduler" });
    const sent = await waitFor("dispatch message", () => deps.mailbox.to("K1")[0]);
    expect(sent).toMatchObject({ type: "dispatch", from: "scheduler", threadId: res.dispatch!.id });
    expect(sent.body).toBe(res.dispatch!.preamble);
    expect(sent.body).toContain("fix the login button");
    expect(sent.body).toContain("--type worker_done");
    expect(sent.body).toContain("--type escalation");
    expect(JSON.parse(sent.payload)).toMatchObject({ task: "fix", dispatch: res.dispatch!.id, replyTo: "scheduler" });
    await waitFor("message id recorded", async () => (await client().getDispatch({ taskId: "fix" })).current?.messageId === sent.id);

    deps.mailbox.send({ to: "scheduler", from: "K1", type: "worker_done", subject: "done: fix", threadId: res.dispatch!.id, payload: { task: "fix", dispatch: res.dispatch!.id, result: { pr: 42 } } });
    await settled("fix");
    const task = (await client().getTask({ id: "fix" })).task!;
    expect(task.status).toBe("completed");
    expect(toJson(ValueSchema, task.result!)).toEqual({ pr: 42 });
    expect((await client().getDispatch({ taskId: "fix" })).current?.status).toBe("completed");
  });

  it("without --inject the body is the task spec alone", async () => {
    await client().createTask({ id: "plain", spec: "just do it" });
    await client().dispatch({ taskId: "plain", to: "K2" });
    const sent = await waitFor("dispatch message", () => deps.mailbox.to("K2")[0]);
    expect(sent.body).toBe("just do it");
  });

  it("a plain name that is no registered instance is an agent's mailbox handle", async () => {
    await client().createTask({ id: "h", spec: "review" });
    const res = await client().dispatch({ taskId: "h", to: "alice", inject: true });
    expect(res.dispatch).toMatchObject({ kind: "agent", instance: "alice" });
    await waitFor("dispatch message", () => deps.mailbox.to("alice")[0]);
  });

  it("an escalation closes the dispatch as escalated and opens a gate that blocks the task", async () => {
    await client().createTask({ id: "esc", spec: "migrate the db" });
    const res = await client().dispatch({ taskId: "esc", to: "K1", inject: true });
    await waitFor("dispatch message", () => deps.mailbox.to("K1")[0]);
    deps.mailbox.send({
      to: "scheduler",
      from: "K1",
      type: "escalation",
      subject: "drop the old table?",
      body: "it still has rows",
      threadId: res.dispatch!.id,
      payload: { task: "esc", dispatch: res.dispatch!.id, options: ["drop", "keep"] },
    });
    const gate = await waitFor("gate", async () => (await client().listGates({ taskId: "esc" })).gates[0]);
    expect(gate).toMatchObject({ source: "escalation", status: "pending", options: ["drop", "keep"] });
    expect(gate.question).toContain("drop the old table?");
    expect(await status("esc")).toBe("blocked");
    expect((await client().getDispatch({ taskId: "esc" })).current?.status).toBe("escalated");
    await waitFor("decision_gate message", () => deps.mailbox.to("operator").find((m) => m.type === "decision_gate"));
  });

  it("an agent that goes down (missed heartbeats) has its task re-dispatched to another agent", async () => {
    await client().createTask({ id: "hb", spec: "long job" });
    const first = await client().dispatch({ taskId: "hb", to: "@pool:agents" });
    const firstAgent = first.dispatch!.instance;
    await waitFor("sent", async () => (await client().getDispatch({ taskId: "hb" })).current?.messageId);
    deps.health.setHealth(firstAgent, "down");
    try {
      const { history } = await waitFor("re-dispatch", async () => {
        const d = await client().getDispatch({ taskId: "hb" });
        return d.history.length === 2 ? d : undefined;
      });
      expect(history[0]).toMatchObject({ status: "timed_out", instance: firstAgent });
      expect(history[0]!.error).toContain("down");
      expect(history[1]!.instance).not.toBe(firstAgent);
      expect(history[1]!.status).toBe("dispatched");
    } finally {
      deps.health.setHealth(firstAgent, "healthy");
    }
  });

  it("an agent that misses its deadline has its task re-dispatched, not forgotten", async () => {
    await client().createTask({ id: "slow", spec: "slow job", timeout: msDuration(300) });
    await client().dispatch({ taskId: "slow", to: "K1" });
    const d = await waitFor("timed out and re-dispatched", async () => {
      const show = await client().getDispatch({ taskId: "slow" });
      return show.history.length >= 2 ? show : undefined;
    });
    expect(d.history[0]).toMatchObject({ status: "timed_out" });
    expect(d.history[0]!.error).toContain("deadline");
  });

  it("a report for a dispatch that already ended changes nothing", async () => {
    await client().createTask({ id: "stale", spec: "x" });
    const res = await client().dispatch({ taskId: "stale", to: "K1" });
    await client().updateTask({ id: "stale", status: "failed", error: "cancelled by hand" });
    deps.mailbox.send({ to: "scheduler", from: "K1", type: "worker_done", subject: "done", payload: { task: "stale", dispatch: res.dispatch!.id } });
    await new Promise((r) => setTimeout(r, 200));
    expect((await client().getTask({ id: "stale" })).task).toMatchObject({ status: "failed", error: "cancelled by hand" });
  });
});

describe("failed agent runs (escalation with an error)", () => {
  it("counts as a failed attempt: the task goes to another agent, and the breaker opens after three", async () => {
    await client().createTask({ id: "crash", spec: "build", target: "@pool:agents" });
    await client().dispatch({ taskId: "crash" });
    for (let attempt = 1; attempt <= 3; attempt++) {
      const current = await waitFor(`attempt ${attempt} sent`, async () => {
        const c = (await client().getDispatch({ taskId: "crash" })).current;
        return c?.attempt === attempt && c.messageId ? c : undefined;
      });
      deps.mailbox.send({
        to: "scheduler",
        from: current.instance,
        type: "escalation",
        subject: "task crash failed: exit 2",
        threadId: current.id,
        payload: { task: "crash", dispatch: current.id, error: "exit 2", exitCode: 2 },
      });
    }
    await settled("crash");
    const { history } = await client().getDispatch({ taskId: "crash" });
    expect(history.map((c) => c.status)).toEqual(["failed", "failed", "circuit_broken"]);
    expect(history[0]!.error).toContain("reported failure: exit 2");
    expect(history[1]!.instance).not.toBe(history[0]!.instance);
    expect((await client().listGates({ taskId: "crash" })).gates).toEqual([]);
    expect((await client().getTask({ id: "crash" })).task).toMatchObject({ status: "failed", failureReason: "circuit_broken" });
  });
});

describe("dispatch to a pool (allocation) and of a new task (command)", () => {
  beforeEach(() => {
    deps.health.allocations.clear();
    deps.health.provisioning = false;
  });

  it("allocates an agent of the pool for a new task and dispatches it with the preamble", async () => {
    deps.health.provisioning = true;
    const res = await client().dispatch({ pool: "agents", command: "fix the authentication bug" });
    expect(res.provisioned).toBe(true);
    const agent = res.dispatch!.instance;
    expect(["K1", "K2"]).toContain(agent);
    expect(deps.health.allocations.get(agent)).toBe(`task:${res.task!.id}`);
    expect(res.task).toMatchObject({ spec: "fix the authentication bug", target: "@pool:agents", status: "dispatched" });
    expect(res.dispatch).toMatchObject({ kind: "agent", target: "@pool:agents" });
    const sent = await waitFor("dispatch message", () => deps.mailbox.to(agent)[0]);
    expect(sent.body).toBe(res.dispatch!.preamble);
    expect(sent.body).toContain("fix the authentication bug");
    expect(JSON.parse(sent.payload)).toMatchObject({ task: res.task!.id, timeoutMs: expect.any(Number) });
  });

  it("takes an existing ready task, and the next call gets the other agent", async () => {
    await client().createTask({ id: "p1", spec: "one" });
    await client().createTask({ id: "p2", spec: "two" });
    const first = await client().dispatch({ pool: "agents", taskId: "p1" });
    const second = await client().dispatch({ pool: "agents", taskId: "p2" });
    expect(new Set([first.dispatch!.instance, second.dispatch!.instance])).toEqual(new Set(["K1", "K2"]));
    expect(first.provisioned).toBe(false);
  });

  it("a pool with no free agent is RESOURCE_EXHAUSTED and creates nothing", async () => {
    deps.health.allocations.set("K1", "someone").set("K2", "someone");
    const before = (await client().listTasks({})).tasks.length;
    const err = await rejection(client().dispatch({ pool: "agents", command: "more work" }));
    expect(err.code).toBe(Code.ResourceExhausted);
    expect((await client().listTasks({})).tasks.length).toBe(before);
  });

  it("creates and dispatches a task from a command with to; nothing is created when it cannot be placed", async () => {
    const res = await client().dispatch({ command: "review the PR", to: "K2", inject: true });
    expect(res.task).toMatchObject({ spec: "review the PR", target: "K2", status: "dispatched" });
    const before = (await client().listTasks({})).tasks.length;
    const err = await rejection(client().dispatch({ command: "x", to: "@pool:nothing-here" }));
    expect(err.code).toBe(Code.NotFound);
    expect((await client().listTasks({})).tasks.length).toBe(before);
  });

  it.each([
    [{}, "task_id"],
    [{ taskId: "a", command: "b" }, "task_id"],
    [{ command: "b", to: "K1", pool: "agents" }, "to and pool are exclusive"],
    [{ taskId: "a", wait: true }, "wait applies to pool dispatch"],
    [{ command: "no target" }, "to"],
  ])("rejects %j with INVALID_ARGUMENT naming %s", async (req, named) => {
    const err = await rejection(client().dispatch(req));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toContain(named);
  });
});
