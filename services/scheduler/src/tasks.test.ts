import { fromJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { errorReason, fieldViolations } from "@orchestrator/rpc";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rejection } from "./testing/rejection.js";
import { startFakeDeps, startScheduler, type FakeDeps, type SchedulerFixture } from "./test-support.js";

let deps: FakeDeps;
let fx: SchedulerFixture;
const client = () => fx.client();

beforeAll(async () => {
  deps = await startFakeDeps();
  fx = await startScheduler({ deps });
});
afterAll(async () => {
  await fx.close();
  await deps.close();
});
beforeEach(async () => {
  await client().reset({ tasks: true });
});

describe("tasks", () => {
  it("creates a task ready when it has no dependencies, pending otherwise, with defaults", async () => {
    const a = (await client().createTask({ id: "a", spec: "build" })).task!;
    expect(a).toMatchObject({ id: "a", status: "ready", maxAttempts: 3, pendingDeps: 0, attempts: 0 });
    const b = (await client().createTask({ id: "b", spec: "test", deps: ["a"], priority: 5 })).task!;
    expect(b).toMatchObject({ status: "pending", deps: ["a"], pendingDeps: 1, priority: 5 });
    const generated = (await client().createTask({ spec: "anything" })).task!;
    expect(generated.id).toMatch(/^t-[0-9a-f]{12}$/);
  });

  it("completing a task promotes exactly the dependents whose dependencies are all complete, in the same transaction", async () => {
    await client().createTasks({
      tasks: [
        { id: "a", spec: "a" },
        { id: "b", spec: "b", deps: ["a"] },
        { id: "c", spec: "c", deps: ["a"] },
        { id: "d", spec: "d", deps: ["b", "c"] },
      ],
    });
    const res = await client().updateTask({ id: "a", status: "completed", result: fromJson(ValueSchema, "ok") });
    expect(res.task).toMatchObject({ status: "completed" });
    expect(res.task?.result?.kind).toEqual({ case: "stringValue", value: "ok" });
    expect([...res.affected].sort()).toEqual(["b", "c"]);
    expect((await client().listTasks({ ready: true })).tasks.map((t) => t.id)).toEqual(["b", "c"]);
    await client().updateTask({ id: "b", status: "completed" });
    expect((await client().getTask({ id: "d" })).task).toMatchObject({ status: "pending", pendingDeps: 1 });
    const last = await client().updateTask({ id: "c", status: "completed" });
    expect(last.affected).toEqual(["d"]);
    expect((await client().getTask({ id: "d" })).task?.status).toBe("ready");
  });

  it("a failed task fails every transitive dependent, naming the failure, so nobody waits forever", async () => {
    await client().createTasks({
      tasks: [
        { id: "a", spec: "a" },
        { id: "x", spec: "x" },
        { id: "b", spec: "b", deps: ["a"] },
        { id: "c", spec: "c", deps: ["b", "x"] },
      ],
    });
    const res = await client().updateTask({ id: "a", status: "failed", error: "disk full" });
    expect([...res.affected].sort()).toEqual(["b", "c"]);
    const c = (await client().getTask({ id: "c" })).task!;
    expect(c).toMatchObject({ status: "failed", failureReason: "dependency_failed", failedDependency: "a" });
    expect((await client().getTask({ id: "a" })).task).toMatchObject({ status: "failed", failureReason: "manual", error: "disk full" });
    expect((await client().getTask({ id: "x" })).task?.status).toBe("ready");
    const late = (await client().createTask({ id: "late", spec: "late", deps: ["b"] })).task!;
    expect(late).toMatchObject({ status: "failed", failedDependency: "a" });
  });

  it("lists by status and pages in creation order", async () => {
    await client().createTasks({ tasks: Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, spec: `p${i}` })) });
    const first = await client().listTasks({ limit: 2 });
    expect(first.tasks.map((t) => t.id)).toEqual(["p0", "p1"]);
    const second = await client().listTasks({ limit: 2, pageToken: first.nextPageToken });
    expect(second.tasks.map((t) => t.id)).toEqual(["p2", "p3"]);
    expect((await client().listTasks({ status: "pending" })).tasks).toEqual([]);
  });

  it("reset clears tasks, contexts, gates and runs; with messages (or all) it purges the mailbox too", async () => {
    await client().createTasks({ tasks: [{ id: "a", spec: "a" }, { id: "b", spec: "b", deps: ["a"] }] });
    await client().createGate({ taskId: "b", question: "ok?" });
    deps.mailbox.send({ to: "someone", from: "x", type: "status", subject: "hi" });
    const tasksOnly = await client().reset({ tasks: true });
    expect(tasksOnly).toMatchObject({ tasks: 2n, gates: 1n, messages: 0n });
    expect((await client().listTasks({})).tasks).toEqual([]);
    expect(deps.mailbox.messages.length).toBeGreaterThan(0);
    const all = await client().reset({ all: true });
    expect(all.messages).toBeGreaterThan(0n);
    expect(deps.mailbox.messages).toEqual([]);
    const nothing = await rejection(client().reset({}));
    expect(nothing.code).toBe(Code.InvalidArgument);
  });

  describe("bad input gets a clear error and changes nothing", () => {
    it("an unknown dependency names the field and the id", async () => {
      await client().createTask({ id: "a", spec: "a" });
      const err = await rejection(client().createTask({ id: "b", spec: "b", deps: ["a", "nope"] }));
      expect(err.code).toBe(Code.InvalidArgument);
      expect(errorReason(err)).toBe("unknown_dependency");
      expect(fieldViolations(err)[0]?.field).toBe("deps[1]");
      expect(err.rawMessage).toContain('"nope"');
      expect((await client().listTasks({})).tasks.map((t) => t.id)).toEqual(["a"]);
    });

    it("a cycle is rejected with the cycle named, and nothing of the batch is created", async () => {
      const err = await rejection(
        client().createTasks({
          tasks: [
            { id: "a", spec: "a", deps: ["c"] },
            { id: "b", spec: "b", deps: ["a"] },
            { id: "c", spec: "c", deps: ["b"] },
            { id: "ok", spec: "ok" },
          ],
        }),
      );
      expect(err.code).toBe(Code.InvalidArgument);
      expect(errorReason(err)).toBe("dependency_cycle");
      expect(err.rawMessage).toContain("a → c → b → a");
      expect((await client().listTasks({})).tasks).toEqual([]);
    });

    it("a task depending on itself is a cycle", async () => {
      const err = await rejection(client().createTask({ id: "self", spec: "s", deps: ["self"] }));
      expect(errorReason(err)).toBe("dependency_cycle");
      expect(err.rawMessage).toContain("self → self");
    });

    it("a taken id is ALREADY_EXISTS", async () => {
      await client().createTask({ id: "a", spec: "a" });
      const err = await rejection(client().createTask({ id: "a", spec: "again" }));
      expect(err.code).toBe(Code.AlreadyExists);
      expect(errorReason(err)).toBe("task_exists");
      expect((await client().getTask({ id: "a" })).task?.spec).toBe("a");
    });

    it("completing a pending task is FAILED_PRECONDITION and leaves it pending", async () => {
      await client().createTasks({ tasks: [{ id: "a", spec: "a" }, { id: "b", spec: "b", deps: ["a"] }] });
      const err = await rejection(client().updateTask({ id: "b", status: "completed" }));
      expect(err.code).toBe(Code.FailedPrecondition);
      expect(errorReason(err)).toBe("invalid_transition");
      expect((await client().getTask({ id: "b" })).task?.status).toBe("pending");
    });

    it("protovalidate rules name the field", async () => {
      const err = await rejection(client().createTask({ spec: "" }));
      expect(err.code).toBe(Code.InvalidArgument);
      expect(fieldViolations(err)[0]?.field).toBe("spec");
      const unknown = await rejection(client().getTask({ id: "missing" }));
      expect(unknown.code).toBe(Code.NotFound);
      expect(errorReason(unknown)).toBe("unknown_task");
    });
  });
});
