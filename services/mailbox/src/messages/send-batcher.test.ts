import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, notify, openDatabase, type DatabaseHandle, type TestDatabase } from "@orchestrator/db";
import { decodeNotice, MAILBOX_CHANNEL } from "../waiting/mailbox-notice.js";
import type { NewMessages } from "./message.repository.js";
import { SendBatcher } from "./send-batcher.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

const draft = (recipients: string[], subject: string, type: NewMessages["type"] = "status"): NewMessages => ({
  recipients,
  threadId: `t-${subject}`,
  from: "tester",
  sentTo: recipients.join(","),
  type,
  priority: "normal",
  subject,
  body: "",
  payload: undefined,
  inReplyTo: undefined,
});

describe("SendBatcher", () => {
  it("writes concurrent sends together, numbering each handle's messages in send order", async () => {
    const batches: number[] = [];
    const batcher = new SendBatcher(db.run, "origin-a", (sends) => batches.push(sends.length));
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

  it("lets a batch wait for as many sends as the last cycle held at once (a lone send still goes once the wait ends)", async () => {
    const batches: string[][] = [];
    const batcher = new SendBatcher(db.run, "origin-l", (sends) => batches.push(sends.map((s) => s.subject)));
    await Promise.all([batcher.submit(draft(["l"], "a")), batcher.submit(draft(["l"], "b")), batcher.submit(draft(["l"], "c"))]);
    // The last cycle held two sends at once: "d" alone waits, and "e" completes the batch.
    const d = batcher.submit(draft(["l"], "d"));
    const e = batcher.submit(draft(["l"], "e"));
    await Promise.all([d, e]);
    // Nobody joins "f": it goes alone once the wait (at most as long as the last statement took) is over.
    const [f] = await batcher.submit(draft(["l"], "f"));
    expect(batches).toEqual([["a"], ["b", "c"], ["d", "e"], ["f"]]);
    expect(f!.seq).toBe("6");
  });

  it("isolates a failing send from the others of its batch", async () => {
    const batcher = new SendBatcher(db.run, "origin-b", () => {});
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

  it("sends ONE notification per commit, naming every recipient of the batch by type and the origin", async () => {
    const payloads: string[] = [];
    let marker: () => void = () => {};
    const markerSeen = new Promise<void>((resolve) => (marker = resolve));
    const unlisten = await db.listen(MAILBOX_CHANNEL, (payload) => {
      if (payload === "end-of-test") marker();
      else payloads.push(payload);
    });
    try {
      const batches: number[] = [];
      const batcher = new SendBatcher(db.run, "origin-c", (sends) => batches.push(sends.length));
      await Promise.all([
        batcher.submit(draft(["n-1"], "alone")),
        batcher.submit(draft(["n-1", "n-2"], "b1", "dispatch")),
        batcher.submit(draft(["n-3"], "b2", "worker_done")),
        batcher.submit(draft(["n-2"], "b3", "dispatch")),
        batcher.submit(draft(["n-4"], "b4", "escalation")),
      ]);
      expect(batches).toEqual([1, 4]);
      // Notifications arrive in commit order: once the marker is here, every payload of the two commits is too.
      await notify(db.db, MAILBOX_CHANNEL, "end-of-test");
      await markerSeen;
      expect(payloads).toHaveLength(2);
      expect(payloads.map((p) => decodeNotice(p))).toEqual([
        { origin: "origin-c", groups: [{ type: "status", handles: ["n-1"] }] },
        {
          origin: "origin-c",
          groups: [
            { type: "dispatch", handles: ["n-1", "n-2"] },
            { type: "worker_done", handles: ["n-3"] },
            { type: "escalation", handles: ["n-4"] },
          ],
        },
      ]);
    } finally {
      await unlisten();
    }
  });

  it("keeps every handle's seq gap-free and each sender's messages in order under concurrent senders and batches", async () => {
    // On real Postgres two batchers on their own pools (two replicas) race for the same heads.
    const second: DatabaseHandle | undefined = db.url ? await openDatabase({ url: db.url, poolMax: 4, applicationName: "orchestrator-test" }) : undefined;
    try {
      const sizes: number[] = [];
      const batchers = [db, second ?? db].map((h, i) => new SendBatcher(h.run, `origin-${i}`, (sends) => sizes.push(sends.length)));
      const SENDERS = 8;
      const PER_SENDER = 30;
      const targets = [["hot-1"], ["hot-2"], ["hot-1", "hot-2"]];
      await Promise.all(
        Array.from({ length: SENDERS }, async (_, s) => {
          for (let i = 0; i < PER_SENDER; i++) {
            const records = await batchers[s % 2]!.submit({ ...draft(targets[(s + i) % 3]!, `${s}:${i}`), from: `sender-${s}` });
            expect(records.map((r) => r.subject)).toEqual(records.map(() => `${s}:${i}`));
          }
        }),
      );
      expect(Math.max(...sizes)).toBeGreaterThan(1); // sends really shared commits
      for (const handle of ["hot-1", "hot-2"]) {
        const rows = await db.db.selectFrom("messages").select(["seq", "from_handle", "subject"]).where("to_handle", "=", handle).orderBy("seq").execute();
        expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
        for (let s = 0; s < SENDERS; s++) {
          const mine = rows.filter((r) => r.from_handle === `sender-${s}`).map((r) => Number(r.subject.split(":")[1]));
          expect(mine).toEqual([...mine].sort((a, b) => a - b));
          expect(mine.length).toBe(Array.from({ length: PER_SENDER }, (_, i) => targets[(s + i) % 3]!).filter((t) => t.includes(handle)).length);
        }
      }
    } finally {
      await second?.close();
    }
  });
});
