import { Code, ConnectError } from "@connectrpc/connect";
import { errorReason, fieldViolations } from "@orchestrator/rpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALLER_HEADER } from "@orchestrator/rpc";
import { startMailboxServer, type MailboxServerFixture } from "./test-support.js";
import type { FakeInstance } from "./testing/fake-health-module.js";

let fx: MailboxServerFixture;
const EIGHT = ["A", "B", "C", "D", "E", "F", "G", "H"];
const INSTANCES: FakeInstance[] = [
  ...EIGHT.map((name, i) => ({ name, pool: "demo", activity: i < 3 ? ("idle" as const) : ("busy" as const), labels: { zone: i % 2 ? "b" : "a" } })),
  { name: "kite-1", pool: "kite", health: "down" },
  { name: "kite-2", pool: "kite" },
];

beforeAll(async () => {
  fx = await startMailboxServer({ instances: INSTANCES });
});
afterAll(() => fx.close());

async function countMessages(): Promise<number> {
  const row = await fx.database.db.selectFrom("messages").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("Send", () => {
  it("delivers to a plain handle, registered or not, with defaults for type, priority and thread", async () => {
    const res = await fx.client().send({ to: "alice", from: "bob", subject: "hello" });
    expect(res.messages).toHaveLength(1);
    const [m] = res.messages;
    expect(m).toMatchObject({ to: "alice", from: "bob", sentTo: "alice", type: "status", priority: "normal", subject: "hello", read: false });
    expect(m!.threadId).toBe(res.threadId);
    expect(res.threadId).toMatch(/^[0-9a-f-]{36}$/);
    const check = await fx.client().check({ handle: "alice" });
    expect(check.messages.map((x) => x.id)).toEqual([m!.id]);
  });

  it("takes the sender from the caller header, else anonymous", async () => {
    const named = await fx.client().send({ to: "carol", subject: "s" }, { headers: { [CALLER_HEADER]: "dave" } });
    expect(named.messages[0]!.from).toBe("dave");
    const anonymous = await fx.client().send({ to: "carol", subject: "s" });
    expect(anonymous.messages[0]!.from).toBe("anonymous");
  });

  it("fans @all out to 8 handles: 8 messages, one thread id, independent read tracking", async () => {
    fx.health.setInstances(EIGHT.map((name) => ({ name })));
    try {
      const group = await fx.client().send({ to: "@all", from: "coordinator", subject: "standup", type: "dispatch", priority: "high", payload: '{"task":"t1"}' });
      expect(group.messages.map((m) => m.to)).toEqual(EIGHT);
      expect(new Set(group.messages.map((m) => m.threadId))).toEqual(new Set([group.threadId]));
      expect(new Set(group.messages.map((m) => m.id)).size).toBe(8);
      expect(group.messages.every((m) => m.sentTo === "@all" && m.type === "dispatch" && m.priority === "high")).toBe(true);

      const [first, ...rest] = group.messages;
      const marked = await fx.client().markRead({ ids: [first!.id] });
      expect(marked.marked).toBe(1n);
      const unread = async (handle: string) => (await fx.client().check({ handle, unreadOnly: true })).messages.map((m) => m.id);
      expect(await unread(first!.to)).not.toContain(first!.id);
      for (const m of rest) expect(await unread(m.to)).toContain(m.id);
    } finally {
      fx.health.setInstances(INSTANCES);
    }
  });

  it("adds to a given thread", async () => {
    const res = await fx.client().send({ to: "@pool:kite", from: "coordinator", subject: "s", threadId: "task-42" });
    expect(res.threadId).toBe("task-42");
    expect(res.messages.map((m) => m.threadId)).toEqual(["task-42", "task-42"]);
  });

  it("leaves the sender out of @all only", async () => {
    const res = await fx.client().send({ to: "@all", from: "A", subject: "hi" });
    expect(res.messages.map((m) => m.to)).not.toContain("A");
    const pool = await fx.client().send({ to: "@pool:demo", from: "A", subject: "hi" });
    expect(pool.messages.map((m) => m.to)).toContain("A");
  });

  it.each([
    ["@idle", ["A", "B", "C", "kite-2"]],
    ["@healthy", [...EIGHT, "kite-2"]],
    ["@pool:kite", ["kite-1", "kite-2"]],
    ["@label:zone=b", ["B", "D", "F", "H"]],
    ["A-C", ["A", "B", "C"]],
    ["kite-1..2", ["kite-1", "kite-2"]],
    ["kite-*", ["kite-1", "kite-2"]],
  ])("resolves %s through the health registry", async (to, expected) => {
    const res = await fx.client().send({ to, from: "coordinator", subject: "s" });
    expect(res.messages.map((m) => m.to)).toEqual(expected);
    expect(res.messages.every((m) => m.sentTo === to)).toBe(true);
  });

  it("keeps the payload's JSON text exactly", async () => {
    const payload = '{"b":1, "a":12345678901234567890}';
    const res = await fx.client().send({ to: "erin", subject: "s", payload });
    expect(res.messages[0]!.payload).toBe(payload);
    const check = await fx.client().check({ handle: "erin" });
    expect(check.messages[0]!.payload).toBe(payload);
  });

  describe("bad input gets a clear error naming the field and stores nothing", () => {
    const cases: Array<[string, Record<string, unknown>, Code, string, string?]> = [
      ["unknown type", { to: "alice", subject: "s", type: "done" }, Code.InvalidArgument, "type"],
      ["unknown priority", { to: "alice", subject: "s", priority: "critical" }, Code.InvalidArgument, "priority"],
      ["empty recipient", { to: "", subject: "s" }, Code.InvalidArgument, "to"],
      ["malformed selector", { to: "A-", subject: "s" }, Code.InvalidArgument, "to"],
      ["unknown group", { to: "@everyone", subject: "s" }, Code.InvalidArgument, "to"],
      ["a group matching nothing", { to: "@pool:nobody", subject: "s" }, Code.NotFound, "to", "no_match"],
      ["payload not JSON", { to: "alice", subject: "s", payload: "{task: 1}" }, Code.InvalidArgument, "payload"],
      ["body over the configured size", { to: "alice", subject: "s", body: "x".repeat(64 * 1024 + 1) }, Code.InvalidArgument, "body"],
      ["empty subject", { to: "alice", subject: "" }, Code.InvalidArgument, "subject"],
      ["bad sender", { to: "alice", subject: "s", from: "bad handle" }, Code.InvalidArgument, "from"],
      ["bad thread id", { to: "alice", subject: "s", threadId: "has space" }, Code.InvalidArgument, "thread_id"],
    ];
    it.each(cases)("%s", async (_label, request, code, field, reason) => {
      const before = await countMessages();
      const err = await fx
        .client()
        .send(request)
        .then(
          () => undefined,
          (e: unknown) => ConnectError.from(e),
        );
      expect(err?.code).toBe(code);
      expect(fieldViolations(err).map((v) => v.field)).toContain(field);
      expect(err!.rawMessage).toContain(field);
      if (reason) expect(errorReason(err)).toBe(reason);
      expect(await countMessages()).toBe(before);
    });

    it("a group that matches only the sender under @all", async () => {
      fx.health.setInstances([{ name: "solo" }]);
      try {
        const before = await countMessages();
        const err = await fx.client().send({ to: "@all", from: "solo", subject: "s" }).catch((e: unknown) => ConnectError.from(e));
        expect(err).toBeInstanceOf(ConnectError);
        expect((err as ConnectError).code).toBe(Code.NotFound);
        expect(fieldViolations(err).map((v) => v.field)).toEqual(["to"]);
        expect((err as ConnectError).rawMessage).toContain("@all");
        expect(await countMessages()).toBe(before);
      } finally {
        fx.health.setInstances(INSTANCES);
      }
    });
  });
});
