import { sql } from "kysely";
import pg from "pg";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startMailboxServer, type MailboxServerFixture } from "./test-support.js";

const N = 1000;
const handles = Array.from({ length: N }, (_, i) => `waiting-agent-${String(i).padStart(4, "0")}`);
let fx: MailboxServerFixture;

beforeAll(async () => {
  fx = await startMailboxServer({ instances: handles.map((name) => ({ name, pool: "waiting" })) });
});
afterAll(() => fx?.close());

/** Sessions of this test's database by application_name (real Postgres only). */
async function sessions(url: string): Promise<Record<string, number>> {
  const database = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: url, application_name: "orchestrator-test-observer" });
  await client.connect();
  try {
    const { rows } = await client.query<{ application_name: string; n: string }>(
      "select application_name, count(*) as n from pg_stat_activity where datname = $1 and application_name <> 'orchestrator-test-observer' group by 1",
      [database],
    );
    return Object.fromEntries(rows.map((r) => [r.application_name, Number(r.n)]));
  } finally {
    await client.end();
  }
}

it(`wakes ${N} concurrent waiting checks on one replica, each with its own message, on a fixed set of connections`, async () => {
  const client = fx.client({ timeoutMs: 120_000 });
  const gc = (globalThis as { gc?: () => void }).gc; // present under NODE_OPTIONS=--expose-gc
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const calls = handles.map((handle) => client.check({ handle, wait: true, types: ["dispatch"], timeoutMs: 110_000 }));
  const settled = Promise.allSettled(calls); // no unhandled rejections if an assertion below fails first
  await waitFor(`${N} waiters`, () => fx.module.waiterCount() === N, { timeoutMs: 60_000 });
  gc?.();
  // Client and server share this process: about 85 KB per pending call with a
  // collection, ~100 KB without (HTTP/2 streams and Connect call state on both
  // sides; a waiter itself is a closure, a timer and a set entry). A generous
  // bound that still catches a waiter holding on to messages or buffers.
  expect((process.memoryUsage().heapUsed - heapBefore) / N).toBeLessThan(256 * 1024);

  if (fx.database.url) {
    // The pool (max 4 in tests) plus the one LISTEN session, however many calls wait.
    const byName = await sessions(fx.database.url);
    expect(byName["orchestrator-test:listen"]).toBe(1);
    expect(byName["orchestrator-test"] ?? 0).toBeLessThanOrEqual(4);
    for (const name of Object.keys(byName)) expect(["orchestrator-test", "orchestrator-test:listen"]).toContain(name);
  }

  const sent = await client.send({ to: "@pool:waiting", from: "coordinator", subject: "go", type: "dispatch" });
  expect(sent.messages).toHaveLength(N);
  const results = await Promise.all(calls);
  await settled;
  results.forEach((res, i) => {
    expect(res.timedOut).toBe(false);
    expect(res.messages.map((m) => [m.to, m.threadId, m.subject])).toEqual([[handles[i], sent.threadId, "go"]]);
  });
  expect(fx.module.waiterCount()).toBe(0);
  const unread = await fx.database.db
    .selectFrom("messages")
    .select(sql<string>`count(*)`.as("n"))
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  expect(Number(unread.n)).toBe(N);
}, 120_000);
