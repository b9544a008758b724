import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@orchestrator/db";
import type { NewMessages } from "./message.repository.js";
import { SendBatcher } from "./send-batcher.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

const draft = (recipients: string[], subject: string): NewMessages => ({
  recipients,
  threadId: `t-${subject}`,
  from: "tester",
  sentTo: recipients.join(","),
  type: "status",
  priority: "normal",
  subject,
  body: "",
  payload: undefined,
  inReplyTo: undefined,
});

describe("SendBatcher", () => {
  it("writes concurrent sends together, numbering each handle's messages in send order", async () => {
    const batches: number[] = [];
    const batcher = new SendBatcher(db.db, (sends) => batches.push(sends.length));
    const results = await Promise.all([
      batcher.submit(draft(["x"], "first")),
      batcher.submit(draft(["x", "y"], "second")),
      batcher.submit(draft(["y", "x"], "third")),
      batcher.submit(draft(["z"], "fourth")),
    ]);
    expect(batches).toEqual([1, 3]); // the first went alone; the rest queued behind it and went as one
    expect(results.map((r) => r.map((m) => `${m.to}#${m.seq}:${m.subject}`))).toEqual([
      ["x#1:first"],
      ["x#2:second", "y#1:second"],
      ["y#2:third", "x#3:third"],
      ["z#1:fourth"],
    ]);
    const stored = await db.db.selectFrom("messages").select(["to_handle", "seq", "subject", "thread_id"]).orderBy("to_handle").orderBy("seq").execute();
    expect(stored.map((r) => `${r.to_handle}#${r.seq}:${r.subject}:${r.thread_id}`)).toEqual([
      "x#1:first:t-first",
      "x#2:second:t-second",
      "x#3:third:t-third",
      "y#1:second:t-second",
      "y#2:third:t-third",
      "z#1:fourth:t-fourth",
    ]);
  });

  it("isolates a failing send from the others of its batch", async () => {
    const batcher = new SendBatcher(db.db, () => {});
    const bad = { ...draft(["w"], "bad"), type: "nonsense" as never };
    const outcomes = await Promise.allSettled([
      batcher.submit(draft(["w"], "lead")),
      batcher.submit(draft(["w"], "ok-1")),
      batcher.submit(bad),
      batcher.submit(draft(["w"], "ok-2")),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    const stored = await db.db.selectFrom("messages").select(["seq", "subject"]).where("to_handle", "=", "w").orderBy("seq").execute();
    expect(stored.map((r) => `${r.seq}:${r.subject}`)).toEqual(["1:lead", "2:ok-1", "3:ok-2"]);
  });
});
