import { toJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import type { WatchRunResponse } from "@orchestrator/contracts";
import { errorReason } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeDeps, startScheduler, type FakeDeps, type SchedulerFixture } from "./test-support.js";
import { unavailable, type RouteCall } from "./testing/fake-router-module.js";
import { rejection } from "./testing/rejection.js";

let deps: FakeDeps;
let fx: SchedulerFixture;
const client = () => fx.client();
const delay = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new Error("cancelled"));
    });
  });

async function finished(id: string) {
  return waitFor(`run ${id} final`, async () => {
    const res = await client().getRun({ id });
    return ["done", "failed", "stopped"].includes(res.run!.status) ? res.run! : undefined;
  });
}

const diamond = (target: string) => `
target: "${target}"
tasks:
  - id: a
    spec: fetch the sources
  - id: b
    spec: build the left half
    deps: [a]
  - id: c
    spec: build the right half
    deps: [a]
  - id: d
    spec: join both halves
    deps: [b, c]
`;

beforeAll(async () => {
  deps = await startFakeDeps({
    instances: [
      { name: "A", pool: "svc" },
      { name: "B", pool: "svc" },
      { name: "C", pool: "svc" },
      { name: "D", pool: "decomposers" },
      { name: "K1", kind: "agent", pool: "agents" },
    ],
  });
  fx = await startScheduler({ deps, config: { leaseMs: 3000, decomposer: "D" } });
});
afterAll(async () => {
  await fx.close();
  await deps.close();
});
beforeEach(async () => {
  deps.router.setBehaviour((call) => ({ instance: call.instance, echo: call.payload }));
  deps.router.calls.splice(0);
  deps.mailbox.messages.splice(0);
  await client().reset({ tasks: true });
});

describe("coordinator runs", () => {
  it("run a diamond end to end: d only after b and c completed, and the result holds all four results", async () => {
    const returned = new Map<string, number>();
    deps.router.setBehaviour(async (call) => {
      const key = call.workId.split(":")[1]!;
      await new Promise((r) => setTimeout(r, key === "b" ? 60 : 5));
      returned.set(key, performance.now());
      return { key, by: call.instance };
    });
    const started = await client().startRun({ spec: diamond("@pool:svc") });
    const run = started.run!;
    expect(run.id).toMatch(/^r-/);
    expect(run.status).toBe("decomposing");
    const done = await finished(run.id);
    expect(done.status).toBe("done");
    const result = toJson(ValueSchema, (await client().getRun({ id: run.id })).run!.result!) as { results: Record<string, { key: string }> };
    expect(Object.keys(result.results).sort()).toEqual(["a", "b", "c", "d"]);
    expect(result.results.d).toMatchObject({ key: "d" });
    expect(done.counts).toMatchObject({ completed: 4, total: 4, failed: 0 });

    const dCall = deps.router.calls.find((c) => c.workId.endsWith(":d"))!;
    expect(dCall.at).toBeGreaterThan(returned.get("b")!);
    expect(dCall.at).toBeGreaterThan(returned.get("c")!);
    const contexts = async (key: string) => (await client().getDispatch({ taskId: `${run.id}:${key}` })).current!;
    const [b, c, d] = [await contexts("b"), await contexts("c"), await contexts("d")];
    const ms = (t: typeof b.finishedAt) => Number(t!.seconds) * 1000 + t!.nanos / 1e6;
    expect(ms(d.dispatchedAt)).toBeGreaterThanOrEqual(ms(b.finishedAt));
    expect(ms(d.dispatchedAt)).toBeGreaterThanOrEqual(ms(c.finishedAt));
    expect(deps.router.calls).toHaveLength(4);
  });

  it("never has more tasks in flight than its max concurrency", async () => {
    deps.router.setBehaviour(async (call, signal) => {
      await delay(20, signal);
      return call.workId;
    });
    const spec = JSON.stringify({ tasks: Array.from({ length: 12 }, (_, i) => ({ id: `t${i}`, spec: `task ${i}` })) });
    const { run } = await client().startRun({ spec, maxConcurrency: 3, target: "@pool:svc" });
    expect(run!.maxConcurrency).toBe(3);
    expect((await finished(run!.id)).status).toBe("done");
    expect(deps.router.maxInFlight()).toBeLessThanOrEqual(3);
    expect(deps.router.calls).toHaveLength(12);
  });

  it("streams its progress: a snapshot, phase changes, and a final event with the result", async () => {
    // Tasks are held until the stream has shown one running, so no timing decides what it shows.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    deps.router.setBehaviour(async (call) => {
      await held;
      return call.workId;
    });
    const { run } = await client().startRun({ spec: diamond("@pool:svc") });
    const events: WatchRunResponse[] = [];
    for await (const ev of fx.client(30_000).watchRun({ id: run!.id })) {
      events.push(ev);
      if (ev.running.length > 0) release();
    }
    expect(events[0]!.event).toBe("snapshot");
    expect(events.at(-1)!.event).toBe("finished");
    expect(events.at(-1)!.run!.status).toBe("done");
    expect(events.at(-1)!.run!.result).toBeDefined();
    const phases = [...new Set(events.map((e) => e.run!.status))];
    expect(phases).toContain("done");
    expect(events.some((e) => e.running.length > 0)).toBe(true);
  });

  it("a task whose instance keeps failing breaks its circuit; its dependents fail and the run ends failed with what completed", async () => {
    deps.router.setBehaviour((call) => (call.workId.endsWith(":b") ? unavailable("b always fails") : { ok: call.workId }));
    const { run } = await client().startRun({ spec: diamond("@pool:svc") });
    const done = await finished(run!.id);
    expect(done.status).toBe("failed");
    expect(done.error).toContain("2 task(s) failed");
    const result = toJson(ValueSchema, (await client().getRun({ id: run!.id })).run!.result!) as { results: Record<string, JsonValue>; failed: Record<string, { reason: string }> };
    expect(Object.keys(result.results).sort()).toEqual(["a", "c"]);
    expect(result.failed.b!.reason).toBe("circuit_broken");
    expect(result.failed.d!.reason).toBe("dependency_failed");
    const b = await client().getDispatch({ taskId: `${run!.id}:b` });
    expect(b.history.map((h) => h.status)).toEqual(["failed", "failed", "circuit_broken"]);
    expect(new Set(b.history.map((h) => h.instance)).size).toBe(3);
  });

  it("drives agent tasks through the mailbox, woken by their worker_done", async () => {
    const spec = JSON.stringify({ target: "K1", tasks: [{ id: "write", spec: "write the docs" }] });
    const { run } = await client().startRun({ spec });
    const message = await waitFor("dispatch message", () => deps.mailbox.to("K1")[0]);
    expect(message.body).toContain("write the docs");
    expect(message.body).toContain("worker_done");
    const payload = JSON.parse(message.payload) as { task: string; dispatch: string; run: string };
    expect(payload.run).toBe(run!.id);
    deps.mailbox.send({ to: "scheduler", from: "K1", type: "worker_done", subject: "done", payload: { task: payload.task, dispatch: payload.dispatch, result: "docs written" } });
    const done = await finished(run!.id);
    expect(done.status).toBe("done");
    expect(toJson(ValueSchema, (await client().getRun({ id: run!.id })).run!.result!)).toEqual({ results: { write: "docs written" } });
  });

  it("a run's coordinator (from): dispatches name it as sender, answers still reach the scheduler, escalations and gates go to it", async () => {
    const spec = JSON.stringify({ target: "K1", tasks: [{ id: "ask", spec: "ask first" }, { id: "then", spec: "then go", deps: ["ask"] }] });
    const { run } = await client().startRun({ spec, from: "alice" });
    expect(run!.coordinator).toBe("alice");
    expect((await client().getRun({ id: run!.id })).run!.coordinator).toBe("alice");
    expect((await client().listRuns({})).runs.find((r) => r.id === run!.id)!.coordinator).toBe("alice");
    const dispatch = await waitFor("dispatch message", () => deps.mailbox.to("K1")[0]);
    const payload = JSON.parse(dispatch.payload) as { task: string; dispatch: string; replyTo: string };
    expect(dispatch).toMatchObject({ from: "alice", type: "dispatch" });
    expect(payload.replyTo).toBe("scheduler");
    deps.mailbox.send({
      to: "scheduler",
      from: "K1",
      type: "escalation",
      subject: "which region?",
      body: "eu or us",
      threadId: payload.dispatch,
      payload: { task: payload.task, dispatch: payload.dispatch, options: ["eu", "us"] },
    });
    const copy = await waitFor("escalation copied to alice", () => deps.mailbox.to("alice").find((m) => m.type === "escalation"));
    const gate = (await client().listGates({ taskId: payload.task })).gates[0]!;
    expect(copy).toMatchObject({ from: "K1", subject: "which region?", body: "eu or us", threadId: payload.dispatch });
    expect(JSON.parse(copy.payload)).toMatchObject({ task: payload.task, dispatch: payload.dispatch, run: run!.id, gate: gate.id, options: ["eu", "us"] });
    expect(gate.notify).toBe("alice");
    await waitFor("decision_gate to alice", () => deps.mailbox.to("alice").find((m) => m.type === "decision_gate" && m.threadId === gate.id));
    expect(deps.mailbox.to("operator")).toEqual([]);
    await client().resolveGate({ id: gate.id, resolution: "eu" });
    const again = await waitFor("re-dispatch", () => deps.mailbox.to("K1")[1]);
    const second = JSON.parse(again.payload) as { task: string; dispatch: string };
    deps.mailbox.send({ to: "scheduler", from: "K1", type: "worker_done", subject: "done", payload: { task: second.task, dispatch: second.dispatch, result: "asked" } });
    const next = await waitFor("then dispatched", () => deps.mailbox.to("K1")[2]);
    const third = JSON.parse(next.payload) as { task: string; dispatch: string };
    expect(next.from).toBe("alice");
    deps.mailbox.send({ to: "scheduler", from: "K1", type: "worker_done", subject: "done", payload: { task: third.task, dispatch: third.dispatch, result: "went" } });
    expect((await finished(run!.id)).status).toBe("done");
  });

  it("a run without a coordinator sends its dispatches from the scheduler", async () => {
    const { run } = await client().startRun({ spec: JSON.stringify({ target: "K1", tasks: [{ id: "solo", spec: "solo" }] }) });
    expect(run!.coordinator).toBe("");
    expect((await waitFor("dispatch message", () => deps.mailbox.to("K1")[0])).from).toBe("scheduler");
    await client().stopRun({ id: run!.id });
  });

  it("waits on a gate inside a run and goes on once it is resolved", async () => {
    let release: () => void = () => {};
    const gated = new Promise<void>((r) => (release = r));
    deps.router.setBehaviour(async (call) => {
      if (call.workId.endsWith(":a")) await gated;
      return call.workId;
    });
    const spec = JSON.stringify({ target: "@pool:svc", tasks: [{ id: "a", spec: "a" }, { id: "b", spec: "b", deps: ["a"] }] });
    const { run } = await client().startRun({ spec });
    await waitFor("a dispatched", () => deps.router.calls.length === 1);
    const gate = (await client().createGate({ taskId: `${run!.id}:b`, question: "continue?" })).gate!;
    release();
    await waitFor("a completed", async () => (await client().getTask({ id: `${run!.id}:a` })).task!.status === "completed");
    expect((await client().getRun({ id: run!.id })).run!.status).not.toBe("done");
    await client().resolveGate({ id: gate.id, resolution: "yes" });
    expect((await finished(run!.id)).status).toBe("done");
    expect((await client().getDispatch({ taskId: `${run!.id}:b` })).current!.preamble).toContain("- continue? → yes");
  });

  it("stops: in-flight calls cancelled, open tasks failed, the run stopped; stopping again is an error", async () => {
    const aborted: RouteCall[] = [];
    deps.router.setBehaviour(
      (call, signal) =>
        new Promise((_, reject) =>
          signal.addEventListener("abort", () => {
            aborted.push(call);
            reject(new Error("cancelled"));
          }),
        ),
    );
    const { run } = await client().startRun({ spec: diamond("@pool:svc") });
    await waitFor("a dispatched", () => deps.router.calls.length === 1);
    const stopped = await client().stopRun({ id: run!.id, reason: "changed my mind" });
    expect(stopped.run).toMatchObject({ status: "stopped", error: "changed my mind" });
    expect(stopped.run!.counts).toMatchObject({ failed: 4, total: 4 });
    await waitFor("call cancelled", () => aborted.length === 1);
    expect((await client().getDispatch({ taskId: `${run!.id}:a` })).current!.status).toBe("cancelled");
    expect((await client().getTask({ id: `${run!.id}:d` })).task!.failureReason).toBe("run_stopped");
    const again = await rejection(client().stopRun({ id: run!.id }));
    expect(again.code).toBe(Code.FailedPrecondition);
    expect(errorReason(again)).toBe("run_finished");
  });

  it("a replica that finds itself presumed dead (lease lapsed) aborts its calls, abandons them, and dispatches them again", async () => {
    let first = true;
    deps.router.setBehaviour(async (call, signal) => {
      if (first) {
        first = false;
        await new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("cancelled"))));
      }
      return call.workId;
    });
    const { run } = await client().startRun({ spec: JSON.stringify({ target: "A", tasks: [{ id: "only", spec: "x" }] }) });
    await waitFor("dispatched", () => deps.router.calls.length === 1);
    // As if this replica had stalled past its lease: the next lease tick finds it presumed dead.
    await fx.database.db.updateTable("scheduler_replicas").set({ expires_at: new Date(Date.now() - 60_000) }).where("id", "=", fx.module.replicaId).execute();
    const done = await finished(run!.id);
    expect(done.status).toBe("done");
    const { history } = await client().getDispatch({ taskId: `${run!.id}:only` });
    expect(history.map((h) => h.status)).toEqual(["abandoned", "completed"]);
    expect(history[0]!.consecutiveFailures).toBe(0);
  });

  it("lists runs, newest first, by phase", async () => {
    const one = (await client().startRun({ spec: diamond("@pool:svc") })).run!;
    await finished(one.id);
    const two = (await client().startRun({ spec: diamond("@pool:svc") })).run!;
    await finished(two.id);
    expect((await client().listRuns({})).runs.map((r) => r.id)).toEqual([two.id, one.id]);
    expect((await client().listRuns({ status: "active" })).runs).toEqual([]);
    expect((await client().listRuns({ status: "done" })).runs[0]!.counts!.completed).toBe(4);
  });

  describe("free-text specs go to the decomposer", () => {
    it("and come back as a graph", async () => {
      deps.router.setBehaviour((call) => {
        if (call.instance === "D") {
          expect(call.payload).toMatchObject({ decompose: "make tea, then drink it" });
          return { graph: { tasks: [{ id: "boil", spec: "boil water", deps: [] }, { id: "drink", spec: "drink", deps: ["boil"] }] } };
        }
        return call.workId;
      });
      const { run } = await client().startRun({ spec: "make tea, then drink it", target: "@pool:svc" });
      const done = await finished(run!.id);
      expect(done).toMatchObject({ status: "done", specFormat: "text" });
      expect((await client().listTasks({ runId: run!.id })).tasks.map((t) => t.key)).toEqual(["boil", "drink"]);
    });

    it("an answer that is no graph fails the run, saying why", async () => {
      deps.router.setBehaviour(() => "sure, I will do that");
      const { run } = await client().startRun({ spec: "do the thing", target: "@pool:svc" });
      const done = await finished(run!.id);
      expect(done.status).toBe("failed");
      expect(done.error).toContain("did not answer a task graph");
    });
  });

  describe("a spec that does not parse is refused at once, naming the line, and creates nothing", () => {
    it("YAML", async () => {
      const err = await rejection(client().startRun({ spec: "tasks:\n  - id: a\n    spec: x\n  - id: b\n    spec: y\n    deps: [zz]\n" }));
      expect(err.code).toBe(Code.InvalidArgument);
      expect(errorReason(err)).toBe("invalid_spec");
      expect(err.rawMessage).toBe('spec: line 6: tasks[1].deps[0]: unknown dependency "zz": no task of the spec has this id');
      expect((await client().listRuns({})).runs).toEqual([]);
      expect((await client().listTasks({})).tasks).toEqual([]);
    });

    it("a cycle", async () => {
      const err = await rejection(client().startRun({ spec: '{"tasks": [{"id": "a", "spec": "x", "deps": ["b"]},\n {"id": "b", "spec": "y", "deps": ["a"]}]}' }));
      expect(err.rawMessage).toContain("dependency cycle a → b → a");
      expect((await client().listRuns({})).runs).toEqual([]);
    });
  });
});
