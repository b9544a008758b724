import { testLogger, waitFor } from "@orchestrator/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailboxServer, type MailboxServerFixture } from "../test-support.js";
import { RetentionSweeper } from "./retention-sweeper.js";

let fx: MailboxServerFixture;
beforeAll(async () => {
  fx = await startMailboxServer();
});
afterAll(() => fx?.close());

const subjects = async (handle: string) => (await fx.client().inbox({ handle, limit: 500 })).messages.map((m) => m.subject).reverse();

describe("retention", () => {
  it("keeps only the newest N messages of each handle, and cursors stay valid", async () => {
    for (let i = 1; i <= 5; i++) await fx.client().send({ to: "keep-a", subject: `a${i}` });
    for (let i = 1; i <= 2; i++) await fx.client().send({ to: "keep-b", subject: `b${i}` });
    const sweeper = new RetentionSweeper(fx.database.db, { maxAgeMs: 0, maxPerHandle: 3, intervalMs: 3_600_000 }, testLogger());
    expect(await sweeper.sweep()).toBe(2);
    expect(await subjects("keep-a")).toEqual(["a3", "a4", "a5"]);
    expect(await subjects("keep-b")).toEqual(["b1", "b2"]);
    const next = await fx.client().send({ to: "keep-a", subject: "a6" });
    expect(next.messages[0]!.seq).toBe(6n);
  });

  it("deletes messages older than the age limit", async () => {
    await fx.client().send({ to: "aged", subject: "old" });
    await fx.client().send({ to: "aged", subject: "new" });
    await fx.database.db
      .updateTable("messages")
      .set({ created_at: sql`now() - interval '2 hours'` })
      .where("to_handle", "=", "aged")
      .where("subject", "=", "old")
      .execute();
    const sweeper = new RetentionSweeper(fx.database.db, { maxAgeMs: 3_600_000, maxPerHandle: 0, intervalMs: 3_600_000 }, testLogger());
    await sweeper.sweep();
    expect(await subjects("aged")).toEqual(["new"]);
  });

  it("deletes in batches until nothing is left beyond the limit", async () => {
    const recipients = Array.from({ length: 30 }, (_, i) => ({ name: `bulk-${i}`, pool: "bulk" }));
    fx.health.setInstances(recipients);
    for (let i = 0; i < 40; i++) await fx.client().send({ to: "@pool:bulk", subject: `m${i}` });
    const sweeper = new RetentionSweeper(fx.database.db, { maxAgeMs: 0, maxPerHandle: 1, intervalMs: 3_600_000 }, testLogger());
    expect(await sweeper.sweep()).toBeGreaterThanOrEqual(30 * 39);
    expect(await subjects("bulk-7")).toEqual(["m39"]);
  });

  it("runs on its own once started, and stops", async () => {
    await fx.client().send({ to: "timed", subject: "t1" });
    await fx.client().send({ to: "timed", subject: "t2" });
    const sweeper = new RetentionSweeper(fx.database.db, { maxAgeMs: 0, maxPerHandle: 1, intervalMs: 1000 }, testLogger());
    sweeper.start();
    try {
      await waitFor("the background sweep", async () => (await subjects("timed")).length === 1);
      expect(await subjects("timed")).toEqual(["t2"]);
    } finally {
      await sweeper.stop();
    }
  });
});
