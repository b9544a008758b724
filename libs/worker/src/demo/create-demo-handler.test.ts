import { create, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { ExecuteRequestSchema } from "@orchestrator/contracts";
import { describe, expect, it, vi } from "vitest";
import { createDemoHandler } from "./create-demo-handler.js";
import { demoStats } from "./demo-stats.js";

function call(payload: JsonValue, o: { signal?: AbortSignal; workId?: string; sessionId?: string; sequence?: bigint; allowCrash?: boolean } = {}) {
  const handler = createDemoHandler({ allowCrash: o.allowCrash });
  const request = create(ExecuteRequestSchema, {
    workId: o.workId ?? "w",
    attempt: 2,
    payload: fromJson(ValueSchema, payload),
    sessionId: o.sessionId ?? "",
    sequence: o.sequence ?? 0n,
  });
  return handler(request, { signal: o.signal ?? new AbortController().signal, instance: "A", payload });
}

async function failure(run: Promise<unknown>): Promise<ConnectError> {
  try {
    await run;
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectError);
    return error as ConnectError;
  }
  throw new Error("expected a failure");
}

describe("createDemoHandler", () => {
  it("echoes a payload without a demo object", async () => {
    const before = demoStats().executed;
    expect(await call({ data: "task" })).toEqual({ instance: "A", echo: { data: "task" }, attempt: 2 });
    expect(demoStats().executed).toBe(before + 1);
  });

  it("adds session fields when set", async () => {
    expect(await call("x", { sessionId: "s1", sequence: 7n })).toEqual({ instance: "A", echo: "x", attempt: 2, sessionId: "s1", sequence: 7 });
  });

  it("lists the sequence numbers of a session history handed over at failover", async () => {
    const handler = createDemoHandler();
    const request = create(ExecuteRequestSchema, { sessionId: "s1", sequence: 3n, history: [{ sequence: 1n }, { sequence: 2n }] });
    const result = await handler(request, { signal: new AbortController().signal, instance: "B", payload: null });
    expect(result).toMatchObject({ instance: "B", sessionId: "s1", sequence: 3, history: [1, 2] });
  });

  it("names the instance given at creation", async () => {
    const handler = createDemoHandler({ instance: "kite-1" });
    const result = await handler(create(ExecuteRequestSchema), { signal: new AbortController().signal, instance: "A", payload: null });
    expect(result).toMatchObject({ instance: "kite-1", echo: null });
  });

  it("fails the first n calls of a key with the given code, then succeeds, per key", async () => {
    const payload = (key: string) => ({ demo: { fail: 2, key, code: "resource_exhausted" } });
    expect((await failure(call(payload("unit-k1")))).code).toBe(Code.ResourceExhausted);
    expect((await failure(call(payload("unit-k2")))).code).toBe(Code.ResourceExhausted);
    expect((await failure(call(payload("unit-k1")))).code).toBe(Code.ResourceExhausted);
    expect(await call(payload("unit-k1"))).toMatchObject({ instance: "A" });
    expect((await failure(call(payload("unit-k2")))).code).toBe(Code.ResourceExhausted);
    expect(await call(payload("unit-k2"))).toMatchObject({ instance: "A" });
  });

  it("keys failures by work id by default, with code unavailable", async () => {
    const payload = { demo: { fail: 1 } };
    expect((await failure(call(payload, { workId: "unit-w1" }))).code).toBe(Code.Unavailable);
    expect(await call(payload, { workId: "unit-w1" })).toMatchObject({ echo: payload });
  });

  it("stops a delay when cancelled and counts it", async () => {
    const controller = new AbortController();
    const before = demoStats().cancelled;
    const pending = call({ demo: { delayMs: 60_000 } }, { signal: controller.signal });
    controller.abort(new ConnectError("gone", Code.DeadlineExceeded));
    expect((await failure(pending)).code).toBe(Code.DeadlineExceeded);
    expect(demoStats().cancelled).toBe(before + 1);
  });

  it("hangs until cancelled", async () => {
    const controller = new AbortController();
    const before = demoStats().cancelled;
    let settled = false;
    const pending = call({ demo: { hang: true } }, { signal: controller.signal }).finally(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    controller.abort();
    expect((await failure(pending)).code).toBe(Code.Canceled);
    expect(demoStats().cancelled).toBe(before + 1);
  });

  it("answers the stats", async () => {
    await call("count me");
    const stats = await call({ demo: { stats: true } });
    expect(stats).toEqual(demoStats());
    expect((stats as { executed: number }).executed).toBeGreaterThan(0);
  });

  it("refuses to crash unless allowed, and exits when allowed", async () => {
    expect((await failure(call({ demo: { crash: true } }))).code).toBe(Code.FailedPrecondition);
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    try {
      await call({ demo: { crash: true } }, { allowCrash: true });
      expect(exit).toHaveBeenCalledWith(1);
    } finally {
      exit.mockRestore();
    }
  });
});
