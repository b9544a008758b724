import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseAdminUrl } from "./create-test-database.js";
import { listenerApplicationName } from "./database-config.js";
import type { DatabaseHandle } from "./database-handle.js";
import { notify } from "./notify.js";
import { openDatabase } from "./open-database.js";
import { PayloadInbox } from "./payload-inbox.js";

/** The listener session(s) of this database, found the way an operator would. */
async function listenerPids(handle: DatabaseHandle, applicationName: string): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity
    where application_name = ${listenerApplicationName(applicationName)} and datname = current_database()`.execute(handle.db);
  return rows.map((r) => r.pid);
}

describe.skipIf(!testDatabaseAdminUrl())("PgListener on real Postgres", () => {
  const opened: DatabaseHandle[] = [];
  afterEach(async () => {
    for (const handle of opened.splice(0).reverse()) await handle.close();
  });

  it("carries every channel on one dedicated session", async () => {
    const test = await createTestDatabase();
    opened.push(test);
    const replica = await openDatabase({ url: test.url!, applicationName: "replica-a" });
    opened.push(replica);
    expect(await listenerPids(replica, "replica-a")).toEqual([]); // connects lazily
    const one = new PayloadInbox();
    const two = new PayloadInbox();
    await replica.listen("chan_one", one.push);
    await replica.listen("chan_two", two.push);
    await replica.listen("chan_two", () => {});
    expect(await listenerPids(replica, "replica-a")).toHaveLength(1);
    // Notifications from another replica reach this one, on both channels.
    await notify(test.db, "chan_two", "hello");
    await notify(test.db, "chan_one", "first");
    expect(await two.waitFor(1)).toEqual(["hello"]);
    expect(await one.waitFor(1)).toEqual(["first"]);
  });

  it("isolates a throwing callback and reports it to onError", async () => {
    const test = await createTestDatabase();
    opened.push(test);
    const errors: unknown[] = [];
    const replica = await openDatabase({ url: test.url!, onError: (e) => errors.push(e) });
    opened.push(replica);
    await replica.listen("throwing", () => {
      throw new Error("callback bug");
    });
    const inbox = new PayloadInbox();
    await replica.listen("throwing", inbox.push);
    await notify(test.db, "throwing", "p");
    expect(await inbox.waitFor(1)).toEqual(["p"]);
    expect(errors).toEqual([new Error("callback bug")]);
  });

  it("reconnects after its backend is terminated, re-LISTENs and calls onReconnect", async () => {
    const test = await createTestDatabase();
    opened.push(test);
    const errors: unknown[] = [];
    const replica = await openDatabase({ url: test.url!, applicationName: "replica-b", onError: (e) => errors.push(e) });
    opened.push(replica);
    const inbox = new PayloadInbox();
    await replica.listen("reconnect_test", inbox.push);
    let reconnects = 0;
    const reconnected = new Promise<void>((resolve) =>
      replica.onReconnect(() => {
        reconnects += 1;
        resolve();
      }),
    );
    const removed = replica.onReconnect(() => {
      throw new Error("removed callbacks must not run");
    });
    removed();
    const [before] = await listenerPids(test, "replica-b");
    expect(before).toBeDefined();

    const { rows } = await sql<{ terminated: boolean }>`
      select pg_terminate_backend(pid) as terminated from pg_stat_activity
      where application_name = ${listenerApplicationName("replica-b")} and datname = current_database()`.execute(test.db);
    expect(rows).toEqual([{ terminated: true }]);

    await reconnected;
    expect(reconnects).toBe(1);
    expect(errors.length).toBeGreaterThan(0);
    const after = await listenerPids(test, "replica-b");
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);

    await notify(test.db, "reconnect_test", "after-reconnect");
    expect(await inbox.waitFor(1)).toEqual(["after-reconnect"]);
  });

  it("rejects listen when the server is unreachable, and closes idempotently", async () => {
    const url = new URL(testDatabaseAdminUrl()!);
    url.port = "1"; // nothing listens there
    const handle = await openDatabase({ url: url.toString() });
    await expect(handle.listen("x", () => {})).rejects.toThrow();
    await handle.close();
    await handle.close();
    await expect(handle.listen("x", () => {})).rejects.toThrow(/closed/);
  });
});
