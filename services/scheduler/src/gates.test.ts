import { Code } from "@connectrpc/connect";
import { errorReason, fieldViolations } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { msDuration } from "./shared/duration.js";
import { startFakeDeps, startScheduler, type FakeDeps, type SchedulerFixture } from "./test-support.js";
import { rejection } from "./testing/rejection.js";

let deps: FakeDeps;
let fx: SchedulerFixture;
const client = () => fx.client();
const task = async (id: string) => (await client().getTask({ id })).task!;

beforeAll(async () => {
  deps = await startFakeDeps({ instances: [{ name: "A" }, { name: "K1", kind: "agent" }] });
  fx = await startScheduler({ deps, config: { leaseMs: 3000, gateHandle: "lead" } });
});
afterAll(async () => {
  await fx.close();
  await deps.close();
});
beforeEach(async () => {
  deps.router.setBehaviour((call) => ({ echo: call.payload }));
  await client().reset({ tasks: true });
  deps.mailbox.messages.splice(0);
});

describe("decision gates", () => {
  it("block their task; resolving makes it ready and the next dispatch preamble carries the resolution", async () => {
    await client().createTask({ id: "ship", spec: "deploy to production" });
    const created = await client().createGate({ taskId: "ship", question: "ship on Friday?", options: ["yes", "no"] });
    expect(created.gate).toMatchObject({ status: "pending", taskId: "ship", notify: "lead", source: "api" });
    expect(created.task?.status).toBe("blocked");

    const blocked = await rejection(client().dispatch({ taskId: "ship", to: "K1" }));
    expect(errorReason(blocked)).toBe("task_not_ready");
    expect(blocked.rawMessage).toContain("blocked by a decision gate");

    const note = await waitFor("decision_gate message", () => deps.mailbox.to("lead").find((m) => m.type === "decision_gate"));
    expect(note).toMatchObject({ from: "scheduler", priority: "high", threadId: created.gate!.id });
    expect(JSON.parse(note.payload)).toMatchObject({ gate: created.gate!.id, task: "ship", question: "ship on Friday?", options: ["yes", "no"] });
    expect(note.body).toContain(`orchestrator gate resolve --id ${created.gate!.id}`);

    const resolved = await client().resolveGate({ id: created.gate!.id, resolution: "no", resolvedBy: "alice" });
    expect(resolved.gate).toMatchObject({ status: "resolved", resolution: "no", resolvedBy: "alice" });
    expect(resolved.task?.status).toBe("ready");

    const dispatched = await client().dispatch({ taskId: "ship", to: "K1", inject: true });
    expect(dispatched.dispatch!.preamble).toContain("- ship on Friday? → no");
    const sent = await waitFor("dispatch message", () => deps.mailbox.to("K1")[0]);
    expect(sent.body).toContain("- ship on Friday? → no");
  });

  it("closes a live dispatch as gated and cancels its call", async () => {
    let aborted = false;
    deps.router.setBehaviour(
      (_call, signal) =>
        new Promise((_, reject) =>
          signal.addEventListener("abort", () => {
            aborted = true;
            reject(new Error("cancelled"));
          }),
        ),
    );
    await client().createTask({ id: "long", spec: "long" });
    await client().dispatch({ taskId: "long", to: "A" });
    await waitFor("route call", () => deps.router.calls.length === 1);
    await client().createGate({ taskId: "long", question: "keep going?" });
    expect((await client().getDispatch({ taskId: "long" })).current?.status).toBe("gated");
    expect((await task("long")).status).toBe("blocked");
    await waitFor("call aborted", () => aborted);
    const resolved = await client().resolveGate({ id: (await client().listGates({ taskId: "long" })).gates[0]!.id, resolution: "stop after step 2" });
    expect(resolved.task?.status).toBe("ready");
  });

  it("unblock a task with unfinished dependencies to pending, and only when its last gate is decided", async () => {
    await client().createTasks({ tasks: [{ id: "a", spec: "a" }, { id: "b", spec: "b", deps: ["a"] }] });
    const g1 = (await client().createGate({ taskId: "b", question: "one?" })).gate!;
    const g2 = (await client().createGate({ taskId: "b", question: "two?" })).gate!;
    expect((await client().resolveGate({ id: g1.id, resolution: "ok" })).task?.status).toBe("blocked");
    expect((await client().resolveGate({ id: g2.id, resolution: "ok" })).task?.status).toBe("pending");
    await client().updateTask({ id: "a", status: "completed" });
    expect((await task("b")).status).toBe("ready");
  });

  it("a blocked task whose dependencies complete meanwhile becomes ready when unblocked", async () => {
    await client().createTasks({ tasks: [{ id: "a", spec: "a" }, { id: "b", spec: "b", deps: ["a"] }] });
    const gate = (await client().createGate({ taskId: "b", question: "go?" })).gate!;
    await client().updateTask({ id: "a", status: "completed" });
    expect((await task("b")).status).toBe("blocked");
    expect((await client().resolveGate({ id: gate.id, resolution: "go" })).task?.status).toBe("ready");
  });

  it("lists by task and status, newest first", async () => {
    await client().createTasks({ tasks: [{ id: "x", spec: "x" }, { id: "y", spec: "y" }] });
    const gx = (await client().createGate({ taskId: "x", question: "x?" })).gate!;
    const gy = (await client().createGate({ taskId: "y", question: "y?" })).gate!;
    await client().resolveGate({ id: gx.id, resolution: "fine" });
    expect((await client().listGates({ taskId: "x" })).gates.map((g) => g.id)).toEqual([gx.id]);
    expect((await client().listGates({ status: "pending" })).gates.map((g) => g.id)).toEqual([gy.id]);
    expect((await client().listGates({})).gates.map((g) => g.id)).toEqual([gy.id, gx.id]);
  });

  describe("deadlines", () => {
    it("a gate past its deadline times out and applies its default, which the next preamble names", async () => {
      await client().createTask({ id: "t", spec: "t" });
      const gate = (await client().createGate({ taskId: "t", question: "which region?", options: ["eu", "us"], defaultOption: "eu", expiry: { case: "timeout", value: msDuration(300) } })).gate!;
      expect(gate.deadline).toBeDefined();
      const after = await waitFor("timeout", async () => {
        const g = (await client().listGates({ taskId: "t" })).gates[0]!;
        return g.status === "timeout" ? g : undefined;
      });
      expect(after).toMatchObject({ resolution: "eu", resolvedBy: "timeout" });
      expect((await task("t")).status).toBe("ready");
      const d = await client().dispatch({ taskId: "t", to: "A" });
      expect(d.dispatch!.preamble).toContain("- which region? → eu (default applied: nobody answered in time)");
    });

    it("without a default, a timed-out gate fails its task and the task's dependents", async () => {
      await client().createTasks({ tasks: [{ id: "t", spec: "t" }, { id: "u", spec: "u", deps: ["t"] }] });
      await client().createGate({ taskId: "t", question: "approve?", expiry: { case: "timeout", value: msDuration(200) } });
      await waitFor("task failed", async () => (await task("t")).status === "failed");
      expect(await task("t")).toMatchObject({ failureReason: "gate_timeout" });
      expect(await task("u")).toMatchObject({ status: "failed", failureReason: "dependency_failed", failedDependency: "t" });
    });
  });

  describe("bad requests get a clear error and change nothing", () => {
    it("resolving a resolved gate", async () => {
      await client().createTask({ id: "t", spec: "t" });
      const gate = (await client().createGate({ taskId: "t", question: "q?" })).gate!;
      await client().resolveGate({ id: gate.id, resolution: "first", resolvedBy: "alice" });
      const err = await rejection(client().resolveGate({ id: gate.id, resolution: "second" }));
      expect(err.code).toBe(Code.FailedPrecondition);
      expect(errorReason(err)).toBe("gate_not_pending");
      expect(err.rawMessage).toContain('resolved already ("first" by alice)');
      expect((await client().listGates({ taskId: "t" })).gates[0]).toMatchObject({ resolution: "first", resolvedBy: "alice" });
    });

    it("a resolution that is not an option", async () => {
      await client().createTask({ id: "t", spec: "t" });
      const gate = (await client().createGate({ taskId: "t", question: "q?", options: ["a", "b"] })).gate!;
      const err = await rejection(client().resolveGate({ id: gate.id, resolution: "c" }));
      expect(err.code).toBe(Code.InvalidArgument);
      expect(errorReason(err)).toBe("invalid_resolution");
      expect(fieldViolations(err)[0]?.field).toBe("resolution");
      expect((await client().listGates({ taskId: "t" })).gates[0]?.status).toBe("pending");
    });

    it("a default that is not an option, a gate on a final task, an unknown gate", async () => {
      await client().createTask({ id: "t", spec: "t" });
      expect(errorReason(await rejection(client().createGate({ taskId: "t", question: "q", options: ["a"], defaultOption: "z" })))).toBe("invalid_argument");
      await client().updateTask({ id: "t", status: "completed" });
      expect(errorReason(await rejection(client().createGate({ taskId: "t", question: "q" })))).toBe("invalid_transition");
      expect((await client().listGates({ taskId: "t" })).gates).toEqual([]);
      expect((await rejection(client().resolveGate({ id: "g-nope", resolution: "x" }))).code).toBe(Code.NotFound);
    });
  });
});
