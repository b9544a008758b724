import { type JsonValue, toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { allFiles } from "@orchestrator/contracts";
import { type RunningServer, startServer } from "@orchestrator/rpc";
import { startInMemoryTracing } from "@orchestrator/telemetry";
import { testLogger, waitFor } from "@orchestrator/testing";
import { trace } from "@opentelemetry/api";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createActivityTracker, type WorkActivity } from "./activity-tracker.js";
import { openWorkStream, type WorkStream, type WorkStreamOptions } from "./open-work-stream.js";
import { FakeScheduler } from "./testing/fake-scheduler.js";
import type { WorkHandler } from "./worker-options.js";

/** What the test handler saw of one assignment. */
interface Seen {
  readonly signal: AbortSignal;
  readonly traceId: string | undefined;
  /** Settles when the handler returned or threw. */
  readonly finished: Promise<void>;
}

const seen = new Map<string, Seen>();
const gates = new Map<string, () => void>();

/** Answers by payload: `{echo}`, `{fail: code}`, `{boom: length}`, `{hang: true}` (until aborted), `{gate: true}` (until opened). */
const handler: WorkHandler = async (request, ctx) => {
  let finish = () => undefined as void;
  seen.set(request.workId, { signal: ctx.signal, traceId: trace.getActiveSpan()?.spanContext().traceId, finished: new Promise<void>((r) => (finish = r)) });
  try {
    const p = ctx.payload as Record<string, JsonValue>;
    if (typeof p.fail === "number") throw new ConnectError("refused by the handler", p.fail as Code);
    if (typeof p.boom === "number") throw new Error("x".repeat(p.boom));
    if (p.hang) {
      await new Promise((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason as Error), { once: true }));
    }
    if (p.gate) await new Promise<void>((resolve) => gates.set(request.workId, resolve));
    return { echo: p.echo ?? null, instance: ctx.instance };
  } finally {
    finish();
  }
};

const arrived = (id: string) => waitFor(`${id} to reach the handler`, () => seen.get(`task-${id}`));
const opened = (id: string) => waitFor(`${id} to wait at its gate`, () => gates.get(`task-${id}`))
  .then((open) => open());

const fake = new FakeScheduler();
const tracing = startInMemoryTracing();
let scheduler: RunningServer;
const streams: WorkStream[] = [];
const activity: WorkActivity[] = [];

function open(o: Partial<WorkStreamOptions> = {}): WorkStream {
  const stream = openWorkStream({
    address: scheduler.address,
    instance: "w1",
    slots: 3,
    handler,
    tracker: createActivityTracker((a) => activity.push(a), { idleAfterMs: 0 }),
    logger: testLogger(),
    initialBackoffMs: 10,
    maxBackoffMs: 50,
    ...o,
  });
  streams.push(stream);
  return stream;
}

beforeAll(async () => {
  scheduler = await startServer({ host: "127.0.0.1", port: 0, apiKeys: [], modules: [fake.module()], reflectionFiles: allFiles, logger: testLogger() });
});

afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
  fake.streams.splice(0);
  fake.unimplemented = false;
  fake.calls = 0;
});

afterAll(async () => {
  await scheduler?.close();
  await tracing.shutdown();
});

describe("openWorkStream", () => {
  it("says hello with its instance and slots", async () => {
    open();
    expect((await fake.stream(0)).hello).toMatchObject({ instance: "w1", slots: 3 });
  });

  it("runs an assignment through the handler and answers its result with the assignment's id", async () => {
    open();
    const stream = await fake.stream(0);
    stream.assign("a1", { echo: [1, "two"] });
    const result = await stream.result("a1");
    expect(result.outcome.case).toBe("result");
    expect(toJson(ValueSchema, result.outcome.value as never)).toEqual({ echo: [1, "two"], instance: "w1" });
    expect(activity).toContain("busy");
  });

  it("answers a ConnectError of the handler with its code and message, any other error as INTERNAL capped at 4096 characters", async () => {
    open();
    const stream = await fake.stream(0);
    stream.assign("e1", { fail: Code.ResourceExhausted });
    stream.assign("e2", { boom: 5000 });
    expect((await stream.result("e1")).outcome).toMatchObject({ case: "error", value: { code: Code.ResourceExhausted, message: "refused by the handler" } });
    const boom = (await stream.result("e2")).outcome;
    expect(boom).toMatchObject({ case: "error", value: { code: Code.Internal } });
    expect((boom.value as { message: string }).message).toHaveLength(4096);
  });

  it("aborts the handler's signal on WorkCancel and answers CANCELLED", async () => {
    open();
    const stream = await fake.stream(0);
    stream.assign("c1", { hang: true });
    const { signal } = await arrived("c1");
    stream.cancel("c1");
    expect((await stream.result("c1")).outcome).toMatchObject({ case: "error", value: { code: Code.Canceled } });
    expect(signal.aborted).toBe(true);
  });

  it("aborts the handler's signal when the assignment's timeout passes", async () => {
    open();
    const stream = await fake.stream(0);
    stream.assign("t1", { hang: true }, { timeoutMs: 50 });
    expect((await stream.result("t1")).outcome).toMatchObject({ case: "error", value: { code: Code.DeadlineExceeded } });
    expect((await arrived("t1")).signal.aborted).toBe(true);
  });

  it("runs the handler in the trace of the assignment's traceparent", async () => {
    open();
    const stream = await fake.stream(0);
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    stream.assign("tr1", { echo: 1 }, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    await stream.result("tr1");
    expect((await arrived("tr1")).traceId).toBe(traceId);
    const span = tracing.spans().find((s) => s.name === "worker.assignment" && s.attributes["orchestrator.dispatch_id"] === "tr1");
    expect(span?.parentSpanContext?.spanId).toBe("00f067aa0ba902b7");
  });

  it("reconnects and says hello again when the scheduler ends the stream", async () => {
    open();
    (await fake.stream(0)).out.end();
    expect((await fake.stream(1)).hello).toMatchObject({ instance: "w1", slots: 3 });
  });

  it("aborts assignments of a broken stream, drops their answers and serves the next stream", async () => {
    open();
    const first = await fake.stream(0);
    first.assign("b1", { hang: true });
    const b1 = await arrived("b1");
    first.out.end(new Error("scheduler replica went away"));
    await b1.finished;
    expect(b1.signal.aborted).toBe(true);
    const second = await fake.stream(1);
    second.assign("b2", { echo: 2 });
    await second.result("b2");
    expect([...first.results, ...second.results].map((r) => r.id)).toEqual(["b2"]);
  });

  it("stops for good when the scheduler answers UNIMPLEMENTED", async () => {
    fake.unimplemented = true;
    const lines: Array<{ msg: string }> = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => lines.push(JSON.parse(line) as { msg: string }) });
    open({ logger });
    await waitFor("the give-up warning", () => lines.some((l) => l.msg.includes("serving unary Execute only")));
    expect(fake.calls).toBe(1);
    expect(lines).toHaveLength(1);
  });

  it("stops for good when nothing serves WorkerService at the address (a control plane without a scheduler)", async () => {
    const bare = await startServer({ host: "127.0.0.1", port: 0, apiKeys: [], modules: [], reflectionFiles: allFiles, logger: testLogger() });
    try {
      const lines: Array<{ msg: string }> = [];
      const logger = pino({ level: "warn" }, { write: (line: string) => lines.push(JSON.parse(line) as { msg: string }) });
      open({ address: bare.address, logger });
      await waitFor("the give-up warning", () => lines.some((l) => l.msg.includes("serving unary Execute only")));
      expect(lines).toHaveLength(1);
    } finally {
      await bare.close();
    }
  });

  it("close() lets assignments in flight finish and answer, refuses new ones, then half-closes", async () => {
    const stream = open();
    const fakeStream = await fake.stream(0);
    fakeStream.assign("d1", { gate: true });
    await arrived("d1");
    const closed = stream.close();
    fakeStream.assign("d2", { echo: 2 });
    expect((await fakeStream.result("d2")).outcome).toMatchObject({ case: "error", value: { code: Code.Unavailable } });
    await opened("d1");
    await closed;
    expect((await fakeStream.result("d1")).outcome.case).toBe("result");
    expect(fakeStream.halfClosed).toBe(true);
    expect(fake.streams).toHaveLength(1);
  });
});
