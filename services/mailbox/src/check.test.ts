import { setMaxListeners } from "node:events";
import { Code, ConnectError } from "@connectrpc/connect";
import { fieldViolations } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailboxServer, type MailboxServerFixture } from "./test-support.js";

let fx: MailboxServerFixture;
beforeAll(async () => {
  fx = await startMailboxServer({ config: { maxWaiters: 20 } });
});
afterAll(() => fx?.close());

/** Tracks whether a call has settled, for "still blocked" checks. */
function track<T>(promise: Promise<T>) {
  const state = { settled: false, promise };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

const waiters = (n: number) => waitFor(`${n} registered waiters`, () => fx.module.waiterCount() === n);

describe("Check", () => {
  it("returns urgent before high before normal, then oldest first", async () => {
    const send = (subject: string, priority: string) => fx.client().send({ to: "prio", subject, priority });
    await send("n1", "normal");
    await send("h1", "high");
    await send("u1", "urgent");
    await send("n2", "");
    await send("h2", "high");
    const res = await fx.client().check({ handle: "prio" });
    expect(res.messages.map((m) => m.subject)).toEqual(["u1", "h1", "h2", "n1", "n2"]);
    expect(res.timedOut).toBe(false);
  });

  it("filters by unread and types, honours the limit, and marks read only when asked", async () => {
    await fx.client().send({ to: "filt", subject: "s1", type: "status" });
    await fx.client().send({ to: "filt", subject: "d1", type: "worker_done" });
    await fx.client().send({ to: "filt", subject: "e1", type: "escalation" });
    const typed = await fx.client().check({ handle: "filt", types: ["worker_done", "escalation"] });
    expect(typed.messages.map((m) => m.subject)).toEqual(["d1", "e1"]);
    expect((await fx.client().check({ handle: "filt", limit: 2 })).messages).toHaveLength(2);

    const peek = await fx.client().check({ handle: "filt", unreadOnly: true });
    expect(peek.messages).toHaveLength(3);
    const read = await fx.client().check({ handle: "filt", unreadOnly: true, types: ["status"], markRead: true });
    expect(read.messages.map((m) => [m.subject, m.read])).toEqual([["s1", true]]);
    expect((await fx.client().check({ handle: "filt", unreadOnly: true })).messages.map((m) => m.subject)).toEqual(["d1", "e1"]);
    expect((await fx.client().check({ handle: "filt" })).messages).toHaveLength(3);
  });

  it("with wait, returns at once when a matching unread message exists", async () => {
    await fx.client().send({ to: "ready", subject: "already here", type: "worker_done" });
    const res = await fx.client().check({ handle: "ready", wait: true, types: ["worker_done"], timeoutMs: 20_000 });
    expect(res.timedOut).toBe(false);
    expect(res.messages.map((m) => m.subject)).toEqual(["already here"]);
  });

  it("with wait, blocks until a matching message is committed and ignores other types", async () => {
    const typed = track(fx.client().check({ handle: "coord", wait: true, types: ["worker_done"], timeoutMs: 25_000 }, { timeoutMs: 30_000 }));
    await waiters(1);
    const anyType = fx.client().check({ handle: "coord", wait: true, timeoutMs: 25_000 }, { timeoutMs: 30_000 });
    await waiters(2);

    await fx.client().send({ to: "coord", from: "kite-1", subject: "progress", type: "status" });
    await fx.client().send({ to: "someone-else", from: "kite-1", subject: "done elsewhere", type: "worker_done" });
    expect((await anyType).messages.map((m) => m.subject)).toEqual(["progress"]);
    expect(typed.settled).toBe(false);
    expect(fx.module.waiterCount()).toBe(1);

    await fx.client().send({ to: "coord", from: "kite-2", subject: "finished", type: "worker_done", payload: '{"task":"t1"}' });
    const res = await typed.promise;
    expect(res.timedOut).toBe(false);
    expect(res.messages.map((m) => [m.subject, m.from, m.type, m.payload])).toEqual([["finished", "kite-2", "worker_done", '{"task":"t1"}']]);
    expect(fx.module.waiterCount()).toBe(0);
  });

  it("with wait, only unread messages count", async () => {
    await fx.client().send({ to: "seen", subject: "old" });
    await fx.client().markRead({ handle: "seen" });
    const res = await fx.client().check({ handle: "seen", wait: true, timeoutMs: 200 });
    expect(res).toMatchObject({ timedOut: true, messages: [] });
  });

  it("answers timed_out (not an error) when the call's deadline comes first", async () => {
    const res = await fx.client().check({ handle: "quiet", wait: true, timeoutMs: 600_000 }, { timeoutMs: 1000 });
    expect(res.timedOut).toBe(true);
    expect(res.messages).toEqual([]);
  });

  it("hands each unread message to exactly one of several waiting claimers", async () => {
    const claimers = Array.from({ length: 5 }, () =>
      fx.client().check({ handle: "queue", wait: true, markRead: true, limit: 1, timeoutMs: 25_000 }, { timeoutMs: 30_000 }),
    );
    await waiters(5);
    for (let i = 0; i < 5; i++) await fx.client().send({ to: "queue", subject: `job-${i}`, type: "dispatch" });
    const got = (await Promise.all(claimers)).map((r) => r.messages.map((m) => m.subject));
    expect(got.every((g) => g.length === 1)).toBe(true);
    expect(got.flat().sort()).toEqual(["job-0", "job-1", "job-2", "job-3", "job-4"]);
    expect((await fx.client().check({ handle: "queue", unreadOnly: true })).messages).toEqual([]);
  });

  it("ends a cancelled wait and forgets its waiter", async () => {
    const controller = new AbortController();
    const call = fx.client().check({ handle: "gone", wait: true, timeoutMs: 25_000 }, { signal: controller.signal });
    await waiters(1);
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: Code.Canceled });
    await waiters(0);
  });

  it("refuses waits beyond ORCHESTRATOR_MAILBOX_MAX_WAITERS with RESOURCE_EXHAUSTED", async () => {
    const controller = new AbortController();
    setMaxListeners(50, controller.signal);
    const held = Array.from({ length: 20 }, (_, i) =>
      fx.client().check({ handle: `full-${i}`, wait: true, timeoutMs: 25_000 }, { signal: controller.signal }).catch(() => undefined),
    );
    await waiters(20);
    const err = await fx.client().check({ handle: "one-too-many", wait: true, timeoutMs: 1000 }).catch((e: unknown) => ConnectError.from(e));
    expect((err as ConnectError).code).toBe(Code.ResourceExhausted);
    controller.abort();
    await Promise.all(held);
    await waiters(0);
  });

  it.each([
    ["negative timeout", { handle: "x", wait: true, timeoutMs: -1 }, "timeout_ms"],
    ["unknown type filter", { handle: "x", types: ["done"] }, "types[0]"],
    ["empty handle", { handle: "" }, "handle"],
    ["limit over 1000", { handle: "x", limit: 5000 }, "limit"],
  ])("rejects a %s naming the field", async (_label, request, field) => {
    const err = await fx.client().check(request).catch((e: unknown) => ConnectError.from(e));
    expect((err as ConnectError).code).toBe(Code.InvalidArgument);
    expect(fieldViolations(err).map((v) => v.field)).toContain(field);
  });
});

describe("shutdown", () => {
  it("ends waiting checks with UNAVAILABLE so clients retry elsewhere", async () => {
    const own = await startMailboxServer();
    const call = own.client().check({ handle: "h", wait: true, timeoutMs: 25_000 }).catch((e: unknown) => ConnectError.from(e));
    await waitFor("the waiter", () => own.module.waiterCount() === 1);
    await own.close();
    expect(((await call) as ConnectError).code).toBe(Code.Unavailable);
  });
});
