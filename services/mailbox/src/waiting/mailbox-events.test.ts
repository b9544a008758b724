import { defaultMailboxConfig } from "@orchestrator/config";
import { createTestDatabase, type TestDatabase } from "@orchestrator/db";
import { testLogger, waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Mailbox } from "../messages/mailbox.service.js";
import { MailboxEvents } from "./mailbox-events.js";
import { WaiterRegistry } from "./waiter-registry.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

const config = defaultMailboxConfig();
const noGroups = { resolve: async () => [] };
const send = (mailbox: Mailbox, to: string) =>
  mailbox.send({ to, from: "tester", subject: `to ${to}`, body: "", type: "worker_done", priority: "", threadId: "", payload: "" });

/** A waiter that counts its wake-ups. */
function counter(registry: WaiterRegistry, handle: string) {
  const w = { wakes: 0 };
  registry.add({ handle, types: undefined, wake: () => (w.wakes += 1), close: () => {} });
  return w;
}

describe("waking the replica that committed a send", () => {
  it("wakes a waiting Check in process, with no LISTEN at all", async () => {
    // Nothing in this replica listens: the only way the wait can end is the in-process wake after commit.
    const registry = new WaiterRegistry(10);
    const mailbox = new Mailbox(db, registry, noGroups, config, "no-listener");
    const waiting = mailbox.check({ handle: "local", unreadOnly: true, types: [], limit: 0, markRead: false, wait: { timeoutMs: 60_000, signal: new AbortController().signal } });
    await waitFor("the waiter", () => registry.size === 1);
    const sent = await send(mailbox, "local");
    const res = await waiting;
    expect(res.timedOut).toBe(false);
    expect(res.messages.map((m) => m.id)).toEqual([sent.messages[0]!.id]);
  });

  it("skips its own notifications (already woken in process) and wakes on other replicas'", async () => {
    const registry = new WaiterRegistry(10);
    const events = new MailboxEvents(db, registry, testLogger(), "self");
    await events.start();
    try {
      const self = new Mailbox(db, registry, noGroups, config, "self");
      const other = new Mailbox(db, new WaiterRegistry(10), noGroups, config, "other");
      const mine = counter(registry, "mine");
      const marker = counter(registry, "marker");

      await send(self, "mine");
      expect(mine.wakes).toBe(1); // in process, as the send returned
      await send(other, "marker");
      // Notifications arrive in commit order: once the marker's has, our own one had arrived before it.
      await waitFor("the other replica's notification", () => marker.wakes === 1);
      expect(mine.wakes).toBe(1);

      await send(other, "mine");
      await waitFor("the cross-replica wake", () => mine.wakes === 2);
    } finally {
      await events.stop();
    }
  });
});
