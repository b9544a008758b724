import { Code, ConnectError } from "@connectrpc/connect";
import { errorReason, fieldViolations } from "@orchestrator/rpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailboxServer, type MailboxServerFixture } from "./test-support.js";

let fx: MailboxServerFixture;
beforeAll(async () => {
  fx = await startMailboxServer({ instances: [{ name: "kite-1" }, { name: "kite-2" }] });
});
afterAll(() => fx?.close());

async function countMessages(): Promise<number> {
  const row = await fx.database.db.selectFrom("messages").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("Reply", () => {
  it("answers the original sender in the same thread and marks the original read", async () => {
    const sent = await fx.client().send({ to: "kite-*", from: "coordinator", subject: "build it", type: "dispatch" });
    const original = sent.messages.find((m) => m.to === "kite-2")!;
    const { message } = await fx.client().reply({ id: original.id, body: "done", type: "worker_done", payload: '{"ok":true}' });
    expect(message).toMatchObject({
      from: "kite-2",
      to: "coordinator",
      sentTo: "coordinator",
      threadId: sent.threadId,
      inReplyTo: original.id,
      subject: "Re: build it",
      body: "done",
      type: "worker_done",
      priority: "normal",
      payload: '{"ok":true}',
    });
    const inbox = await fx.client().check({ handle: "coordinator", types: ["worker_done"] });
    expect(inbox.messages.map((m) => m.id)).toEqual([message!.id]);
    const kite2 = await fx.client().check({ handle: "kite-2" });
    expect(kite2.messages.find((m) => m.id === original.id)!.read).toBe(true);
    const kite1 = await fx.client().check({ handle: "kite-1", unreadOnly: true });
    expect(kite1.messages.map((m) => m.threadId)).toContain(sent.threadId);

    const again = await fx.client().reply({ id: message!.id, body: "thanks", from: "coordinator", subject: "" });
    expect(again.message).toMatchObject({ to: "kite-2", from: "coordinator", subject: "Re: build it", threadId: sent.threadId });
  });

  it.each([
    ["an unknown id", { id: "00000000-0000-4000-8000-000000000000", body: "x" }, Code.NotFound, "id", "unknown_message"],
    ["a malformed id", { id: "msg-1", body: "x" }, Code.InvalidArgument, "id", undefined],
    ["an unknown type", { id: "00000000-0000-4000-8000-000000000000", body: "x", type: "bogus" }, Code.InvalidArgument, "type", undefined],
  ])("rejects %s naming the field, storing nothing", async (_label, request, code, field, reason) => {
    const before = await countMessages();
    const err = await fx.client().reply(request).catch((e: unknown) => ConnectError.from(e));
    expect((err as ConnectError).code).toBe(code);
    expect(fieldViolations(err).map((v) => v.field)).toContain(field);
    if (reason) expect(errorReason(err)).toBe(reason);
    expect(await countMessages()).toBe(before);
  });

  it("refuses a body over the configured size after finding the message", async () => {
    const { messages } = await fx.client().send({ to: "big", subject: "s" });
    const before = await countMessages();
    const err = await fx.client().reply({ id: messages[0]!.id, body: "é".repeat(40_000) }).catch((e: unknown) => ConnectError.from(e));
    expect(fieldViolations(err).map((v) => v.field)).toEqual(["body"]);
    expect(await countMessages()).toBe(before);
    expect((await fx.client().check({ handle: "big", unreadOnly: true })).messages).toHaveLength(1);
  });
});

describe("Inbox", () => {
  it("pages newest first through read and unread messages, with the unread count", async () => {
    for (let i = 1; i <= 7; i++) await fx.client().send({ to: "paged", subject: `m${i}` });
    await fx.client().check({ handle: "paged", limit: 2, markRead: true });
    const seen: string[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const page = await fx.client().inbox({ handle: "paged", limit: 3, pageToken });
      expect(page.unreadCount).toBe(5n);
      seen.push(...page.messages.map((m) => `${m.subject}${m.read ? "*" : ""}`));
      pageToken = page.nextPageToken;
      pages += 1;
    } while (pageToken);
    expect(pages).toBe(3);
    expect(seen).toEqual(["m7", "m6", "m5", "m4", "m3", "m2*", "m1*"]);
    const unread = await fx.client().inbox({ handle: "paged", unreadOnly: true });
    expect(unread.messages.map((m) => m.subject)).toEqual(["m7", "m6", "m5", "m4", "m3"]);
  });

  it("is served to Connect GET (no side effects)", async () => {
    await fx.client().send({ to: "getter", subject: "via get" });
    const message = encodeURIComponent(JSON.stringify({ handle: "getter" }));
    const res = await fetch(`http://${fx.address}/orchestrator.mailbox.v1.MailboxService/Inbox?encoding=json&message=${message}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { messages: { subject: string }[] };
    expect(body.messages.map((m) => m.subject)).toEqual(["via get"]);
  });
});

describe("MarkRead and Purge", () => {
  it("marks given ids, or every unread message of a handle; unknown ids change nothing", async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await fx.client().send({ to: "marker", subject: `m${i}` })).messages[0]!.id);
    expect((await fx.client().markRead({ ids: [ids[0]!], handle: "marker" })).marked).toBe(1n);
    expect((await fx.client().markRead({ ids: [ids[0]!] })).marked).toBe(0n);
    const err = await fx.client().markRead({ ids: [ids[1]!, "00000000-0000-4000-8000-000000000000"] }).catch((e: unknown) => ConnectError.from(e));
    expect(fieldViolations(err).map((v) => v.field)).toEqual(["ids[1]"]);
    const wrongOwner = await fx.client().markRead({ ids: [ids[1]!], handle: "someone" }).catch((e: unknown) => ConnectError.from(e));
    expect((wrongOwner as ConnectError).code).toBe(Code.NotFound);
    expect((await fx.client().check({ handle: "marker", unreadOnly: true })).messages).toHaveLength(2);
    expect((await fx.client().markRead({ handle: "marker" })).marked).toBe(2n);
    const none = await fx.client().markRead({}).catch((e: unknown) => ConnectError.from(e));
    expect((none as ConnectError).code).toBe(Code.InvalidArgument);
  });

  it("purges one handle, or everything only when asked to", async () => {
    await fx.client().send({ to: "purge-a", subject: "a" });
    await fx.client().send({ to: "purge-b", subject: "b" });
    expect((await fx.client().purge({ handle: "purge-a" })).deleted).toBe(1n);
    expect((await fx.client().check({ handle: "purge-a" })).messages).toEqual([]);
    expect((await fx.client().check({ handle: "purge-b" })).messages).toHaveLength(1);
    const refused = await fx.client().purge({}).catch((e: unknown) => ConnectError.from(e));
    expect(fieldViolations(refused).map((v) => v.field)).toEqual(["all"]);
    const total = await countMessages();
    expect(total).toBeGreaterThan(0);
    expect((await fx.client().purge({ all: true })).deleted).toBe(BigInt(total));
    expect(await countMessages()).toBe(0);

    const after = await fx.client().send({ to: "purge-a", subject: "again" });
    expect(after.messages[0]!.seq).toBe(2n);
  });
});
