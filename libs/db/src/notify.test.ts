import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./create-test-database.js";
import { notify } from "./notify.js";
import { PayloadInbox } from "./payload-inbox.js";

describe("listen / notify", () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(async () => {
    await handle.close();
  });

  it("delivers a payload notified in a transaction only after commit", async () => {
    const inbox = new PayloadInbox();
    const unlisten = await handle.listen("commit_test", inbox.push);
    await handle.db.transaction().execute(async (trx) => {
      await notify(trx, "commit_test", "in-trx");
      if (handle.kind === "postgres") {
        // A notification committed meanwhile by another session arrives first; ours must not have.
        await notify(handle.db, "commit_test", "barrier");
        expect(await inbox.waitFor(1)).toEqual(["barrier"]);
      } else {
        await sql`select 1`.execute(trx); // PGlite delivers during query processing: none yet
        expect(inbox.payloads).toEqual([]);
      }
    });
    const expected = handle.kind === "postgres" ? ["barrier", "in-trx"] : ["in-trx"];
    expect(await inbox.waitFor(expected.length)).toEqual(expected);
    await unlisten();
  });

  it("never delivers a payload notified in a rolled-back transaction", async () => {
    const inbox = new PayloadInbox();
    const unlisten = await handle.listen("rollback_test", inbox.push);
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await notify(trx, "rollback_test", "rolled-back");
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    await notify(handle.db, "rollback_test", "committed");
    // Notifications arrive in commit order: had the first been sent, it would be here.
    expect(await inbox.waitFor(1)).toEqual(["committed"]);
    await unlisten();
  });

  it("fans one channel out to every subscriber; unsubscribe stops delivery", async () => {
    const a = new PayloadInbox();
    const b = new PayloadInbox();
    const unlistenA = await handle.listen("fanout_test", a.push);
    const unlistenB = await handle.listen("fanout_test", b.push);
    await notify(handle.db, "fanout_test", "1");
    expect(await a.waitFor(1)).toEqual(["1"]);
    expect(await b.waitFor(1)).toEqual(["1"]);

    await unlistenA();
    await unlistenA(); // idempotent
    await notify(handle.db, "fanout_test", "2");
    expect(await b.waitFor(2)).toEqual(["1", "2"]);
    expect(a.payloads).toEqual(["1"]);

    await unlistenB();
    const barrier = new PayloadInbox();
    const unlistenBarrier = await handle.listen("fanout_barrier", barrier.push);
    await notify(handle.db, "fanout_test", "3");
    await notify(handle.db, "fanout_barrier", "done");
    await barrier.waitFor(1);
    expect(b.payloads).toEqual(["1", "2"]);
    await unlistenBarrier();
  });

  it("keeps channel names case-sensitive and rejects invalid ones", async () => {
    const lower = new PayloadInbox();
    const mixed = new PayloadInbox();
    const offLower = await handle.listen("case_test", lower.push);
    const offMixed = await handle.listen("Case_Test", mixed.push);
    await notify(handle.db, "Case_Test", "M");
    await notify(handle.db, "case_test", "l");
    expect(await lower.waitFor(1)).toEqual(["l"]);
    expect(mixed.payloads).toEqual(["M"]);
    await offLower();
    await offMixed();
    await expect(handle.listen('bad"name', () => {})).rejects.toThrow(RangeError);
    await expect(handle.listen("x".repeat(64), () => {})).rejects.toThrow(RangeError);
  });
});
