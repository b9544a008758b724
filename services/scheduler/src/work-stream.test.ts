import { create, fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { WorkerService, WorkRequestSchema, type WorkAssignment, type WorkRequest, type WorkResponse } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeDeps, startScheduler, type FakeDeps, type SchedulerFixture } from "./test-support.js";

/** A worker's end of a Work stream, driven by the test: what it sends, and what it received. */
class TestWorkStream {
  readonly assignments: WorkAssignment[] = [];
  readonly cancels: string[] = [];
  ended: ConnectError | "ok" | undefined;
  private readonly outbox: WorkRequest[] = [];
  private wake: (() => void) | undefined;
  private done = false;
  private readonly abort = new AbortController();
  /** The reading loop; it never rejects (the end is in `ended`). */
  readonly reading: Promise<void>;

  constructor(address: string, first: WorkRequest) {
    this.outbox.push(first);
    const client = createServiceClient(WorkerService, { address, timeoutMs: 0 });
    this.reading = (async () => {
      try {
        for await (const res of client.work(this.requests(), { signal: this.abort.signal })) this.received(res);
        this.ended = "ok";
      } catch (err) {
        this.ended = ConnectError.from(err);
      }
    })();
  }

  answer(id: string, result: JsonValue): void {
    this.send(create(WorkRequestSchema, { kind: { case: "result", value: { id, outcome: { case: "result", value: fromJson(ValueSchema, result) } } } }));
  }

  fail(id: string, code: Code, message: string): void {
    this.send(create(WorkRequestSchema, { kind: { case: "result", value: { id, outcome: { case: "error", value: { code, message } } } } }));
  }

  /** Breaks the stream (the worker process died: the call is cancelled). */
  kill(): void {
    this.abort.abort();
  }

  /** Half-closes: the worker is done. */
  end(): void {
    this.done = true;
    this.wake?.();
  }

  private send(message: WorkRequest): void {
    this.outbox.push(message);
    this.wake?.();
  }

  private received(res: WorkResponse): void {
    if (res.kind.case === "assignment") this.assignments.push(res.kind.value);
    if (res.kind.case === "cancel") this.cancels.push(res.kind.value.id);
  }

  private async *requests(): AsyncGenerator<WorkRequest> {
    for (;;) {
      const next = this.outbox.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.done) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

const hello = (instance: string, slots: number) => create(WorkRequestSchema, { kind: { case: "hello", value: { instance, slots } } });

let deps: FakeDeps;
let fx: SchedulerFixture;
const client = () => fx.client();
const task = async (id: string) => (await client().getTask({ id })).task!;
const settled = (id: string) => waitFor(`task ${id} final`, async () => ["completed", "failed"].includes((await task(id)).status));
const open: TestWorkStream[] = [];
const holdStream = async (instance: string, slots: number) => {
  const stream = new TestWorkStream(fx.address, hello(instance, slots));
  open.push(stream);
  await waitFor(`${instance}'s work stream`, () => fx.module.streams.has(instance));
  return stream;
};

beforeAll(async () => {
  deps = await startFakeDeps({ instances: [{ name: "A", pool: "svc" }, { name: "B", pool: "other" }] });
  fx = await startScheduler({ deps, config: { leaseMs: 3000 } });
});
afterAll(async () => {
  await fx.close();
  await deps.close();
});
beforeEach(async () => {
  for (const s of open.splice(0)) s.kill();
  await waitFor("no work streams", () => fx.module.streams.instances().length === 0);
  await client().reset({ tasks: true });
  deps.router.calls.splice(0);
});

describe("the Work stream: tasks pushed to a worker that holds one", () => {
  it("pushes a dispatch down the instance's stream (no Execute call) and completes the task with the answer sent back on it", async () => {
    const worker = await holdStream("A", 4);
    await client().createTask({ id: "p1", spec: "push me", target: "A" });
    const res = await client().dispatch({ taskId: "p1" });
    const assignment = await waitFor("assignment", () => worker.assignments[0]);
    expect(assignment.id).toBe(res.dispatch!.id);
    expect(assignment.request).toMatchObject({ workId: "p1", attempt: 1 });
    expect(assignment.request!.metadata).toMatchObject({ task_id: "p1", dispatch_id: res.dispatch!.id, instance: "A" });
    expect(toJson(ValueSchema, assignment.request!.payload!)).toEqual({ task: "p1", spec: "push me" });
    expect(Number(assignment.timeout!.seconds)).toBeGreaterThan(0);
    worker.answer(assignment.id, { pushed: true });
    await settled("p1");
    expect(await task("p1")).toMatchObject({ status: "completed", attempts: 1 });
    expect(toJson(ValueSchema, (await task("p1")).result!)).toEqual({ pushed: true });
    expect(deps.router.calls).toEqual([]);
  });

  it("keeps no more assignments in flight than the worker's slots: the next goes out when one is answered", async () => {
    const worker = await holdStream("A", 1);
    for (const id of ["c1", "c2"]) {
      await client().createTask({ id, spec: id, target: "A" });
      await client().dispatch({ taskId: id });
    }
    const first = await waitFor("first assignment", () => worker.assignments[0]);
    // Both dispatches are recorded; the stream's one slot holds the second back.
    expect((await task("c1")).status).toBe("dispatched");
    expect((await task("c2")).status).toBe("dispatched");
    expect(worker.assignments).toHaveLength(1);
    worker.answer(first.id, 1);
    const second = await waitFor("second assignment", () => worker.assignments[1]);
    expect(second.request!.workId).not.toBe(first.request!.workId);
    worker.answer(second.id, 2);
    await settled("c1");
    await settled("c2");
  });

  it("an error answered on the stream fails the dispatch with that code; the task is dispatched again", async () => {
    const worker = await holdStream("A", 2);
    await client().createTask({ id: "e1", spec: "fails once", target: "A", maxAttempts: 3 });
    await client().dispatch({ taskId: "e1" });
    const first = await waitFor("assignment", () => worker.assignments[0]);
    worker.fail(first.id, Code.Unavailable, "busy, try again");
    const retry = await waitFor("retry assignment", () => worker.assignments[1]);
    expect(retry.request!.workId).toBe("e1");
    worker.answer(retry.id, "ok");
    await settled("e1");
    const show = await client().getDispatch({ taskId: "e1" });
    expect(show.history.map((h) => h.status)).toEqual(["failed", "completed"]);
    expect(show.history[0]!.error).toContain("busy, try again");
  });

  it("a stream broken mid-batch: the assignments on it fail and are dispatched again (unary Execute once no stream is left)", async () => {
    const worker = await holdStream("A", 4);
    for (const id of ["k1", "k2", "k3"]) {
      await client().createTask({ id, spec: id, target: "A", maxAttempts: 3 });
      await client().dispatch({ taskId: id });
    }
    await waitFor("three assignments", () => worker.assignments.length === 3);
    worker.answer(worker.assignments[0]!.id, "done before the break");
    await settled(worker.assignments[0]!.request!.workId);
    worker.kill();
    for (const id of ["k1", "k2", "k3"]) await settled(id);
    const redelivered = deps.router.calls.map((c) => c.workId).sort();
    expect(redelivered).toHaveLength(2);
    for (const id of ["k1", "k2", "k3"]) {
      expect((await task(id)).status).toBe("completed");
      const history = (await client().getDispatch({ taskId: id })).history;
      // Exactly one completed context per task.
      expect(history.filter((h) => h.status === "completed")).toHaveLength(1);
    }
  });

  it("a dispatch whose deadline passes is withdrawn from the stream (WorkCancel) and fails timed out", async () => {
    const worker = await holdStream("A", 2);
    await client().createTask({ id: "slow", spec: "never answers", target: "A", maxAttempts: 1, timeout: { seconds: 0n, nanos: 300_000_000 } });
    await client().dispatch({ taskId: "slow" });
    const assignment = await waitFor("assignment", () => worker.assignments[0]);
    await waitFor("cancel", () => worker.cancels.includes(assignment.id));
    await settled("slow");
    expect((await task("slow")).status).toBe("failed");
    // A late answer changes nothing.
    worker.answer(assignment.id, "too late");
    expect((await task("slow")).status).toBe("failed");
  });

  it("refuses a stream that does not start with a hello (INVALID_ARGUMENT), and keeps serving others", async () => {
    const bad = new TestWorkStream(fx.address, create(WorkRequestSchema, { kind: { case: "result", value: { id: "x", outcome: { case: "result", value: fromJson(ValueSchema, 1) } } } }));
    open.push(bad);
    const ended = await waitFor("refused", () => bad.ended);
    expect(ended).toBeInstanceOf(ConnectError);
    expect((ended as ConnectError).code).toBe(Code.InvalidArgument);
    expect((ended as ConnectError).rawMessage).toContain("hello");
    const good = await holdStream("B", 1);
    await client().createTask({ id: "after", spec: "x", target: "B" });
    await client().dispatch({ taskId: "after" });
    good.answer((await waitFor("assignment", () => good.assignments[0])).id, "fine");
    await settled("after");
  });
});
