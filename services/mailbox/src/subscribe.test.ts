import { Code, ConnectError } from "@connectrpc/connect";
import type { Message, SubscribeResponse } from "@orchestrator/contracts";
import { fieldViolations } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailboxServer, type MailboxServerFixture } from "./test-support.js";

let fx: MailboxServerFixture;
beforeAll(async () => {
  fx = await startMailboxServer();
});
afterAll(() => fx?.close());

/** An open Subscribe stream read a message at a time. */
function open(target: MailboxServerFixture, request: { handle: string; afterSeq?: bigint; types?: string[] }) {
  const controller = new AbortController();
  const it = target.client({ timeoutMs: 0 }).subscribe(request, { signal: controller.signal })[Symbol.asyncIterator]();
  return {
    async take(n: number): Promise<Message[]> {
      const out: Message[] = [];
      while (out.length < n) {
        const next: IteratorResult<SubscribeResponse> = await it.next();
        if (next.done) throw new Error(`stream ended after ${out.length} of ${n}`);
        out.push(next.value.message!);
      }
      return out;
    },
    close: () => controller.abort(),
  };
}

const send = (to: string, subject: string, type = "status") => fx.client().send({ to, subject, type });

describe("Subscribe", () => {
  it("streams new messages and, after a disconnect, resumes from the cursor with each message exactly once", async () => {
    const first = open(fx, { handle: "sub" });
    await waitFor("the subscription", () => fx.module.waiterCount() === 1);
    for (const s of ["m1", "m2", "m3"]) await send("sub", s);
    const before = await first.take(3);
    first.close();
    await waitFor("the disconnect", () => fx.module.waiterCount() === 0);

    for (const s of ["m4", "m5", "m6"]) await send("sub", s);
    const second = open(fx, { handle: "sub", afterSeq: before.at(-1)!.seq });
    const missed = await second.take(3);
    for (const s of ["m7", "m8"]) await send("sub", s);
    const live = await second.take(2);
    second.close();

    const all = [...before, ...missed, ...live];
    expect(all.map((m) => m.subject)).toEqual(["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"]);
    expect(all.map((m) => m.seq)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
  });

  it("replays every kept message from after_seq 0, and only new ones without a cursor", async () => {
    await send("replay", "old-1");
    await send("replay", "old-2");
    const fromZero = open(fx, { handle: "replay", afterSeq: 0n });
    expect((await fromZero.take(2)).map((m) => m.subject)).toEqual(["old-1", "old-2"]);
    fromZero.close();
    await waitFor("the first stream's disconnect", () => fx.module.waiterCount() === 0);

    const fromNow = open(fx, { handle: "replay" });
    await waitFor("the subscription", () => fx.module.waiterCount() === 1);
    await send("replay", "new-1");
    expect((await fromNow.take(1)).map((m) => m.subject)).toEqual(["new-1"]);
    fromNow.close();
    await waitFor("the disconnect", () => fx.module.waiterCount() === 0);
  });

  it("filters by type", async () => {
    const stream = open(fx, { handle: "typed", afterSeq: 0n, types: ["escalation"] });
    await send("typed", "noise", "status");
    await send("typed", "help", "escalation");
    expect((await stream.take(1)).map((m) => [m.subject, m.type])).toEqual([["help", "escalation"]]);
    stream.close();
  });

  it("rejects an unknown type filter naming the field", async () => {
    const stream = open(fx, { handle: "bad", types: ["nope"] });
    const err = await stream.take(1).catch((e: unknown) => ConnectError.from(e));
    expect((err as ConnectError).code).toBe(Code.InvalidArgument);
    expect(fieldViolations(err).map((v) => v.field)).toContain("types[0]");
  });
});

// Out-of-order commits only happen with several connections: real Postgres.
describe.skipIf(!process.env.DATABASE_URL)("Subscribe under concurrent senders on two replicas", () => {
  let other: MailboxServerFixture;
  beforeAll(async () => {
    other = await startMailboxServer({ databaseUrl: fx.database.url!, poolMax: 8 });
  });
  afterAll(() => other?.close());

  it("delivers every message exactly once, in seq order, across a reconnect", async () => {
    const total = 8 * 40;
    const first = open(other, { handle: "hot", afterSeq: 0n });
    const senders = Array.from({ length: 8 }, async (_, s) => {
      const client = (s % 2 ? other : fx).client();
      for (let i = 0; i < total / 8; i++) await client.send({ to: "hot", from: `sender-${s}`, subject: `${s}:${i}` });
    });
    const part = await first.take(total / 4);
    first.close();
    const second = open(fx, { handle: "hot", afterSeq: part.at(-1)!.seq });
    const rest = await second.take(total - part.length);
    await Promise.all(senders);
    second.close();

    const all = [...part, ...rest];
    expect(all.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => BigInt(i + 1)));
    expect(new Set(all.map((m) => m.subject)).size).toBe(total);
    for (let s = 0; s < 8; s++) {
      const mine = all.filter((m) => m.from === `sender-${s}`).map((m) => Number(m.subject.split(":")[1]));
      expect(mine).toEqual(Array.from({ length: total / 8 }, (_, i) => i));
    }
  });
});
