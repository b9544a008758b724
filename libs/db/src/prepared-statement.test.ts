import { SpanStatusCode, trace } from "@opentelemetry/api";
import { startInMemoryTracing, type InMemoryTracing } from "@orchestrator/telemetry";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./create-test-database.js";
import { sql } from "kysely";
import { executePrepared, preparedStatement, runThrough } from "./prepared-statement.js";
import { QUERY_SPAN_NAME } from "./traced-connection.js";

describe("prepared statements", () => {
  let handle: TestDatabase;
  let tracing: InMemoryTracing;
  beforeAll(async () => {
    tracing = startInMemoryTracing();
    handle = await createTestDatabase();
  });
  afterAll(async () => {
    await handle?.close();
    await tracing?.shutdown();
  });
  beforeEach(() => tracing.reset());

  const square = preparedStatement("test_square", "select $1::int * $1::int as n, $2::text as label");

  it("runs with parameters, again and again, as a db.query span of the caller's trace", async () => {
    const outer = await trace.getTracer("test").startActiveSpan("handler", async (span) => {
      for (const i of [2, 3, 4]) expect(await handle.run<{ n: number; label: string }>(square, [i, `x${i}`])).toEqual([{ n: i * i, label: `x${i}` }]);
      span.end();
      return span.spanContext();
    });
    const spans = tracing.spans().filter((s) => s.name === QUERY_SPAN_NAME);
    expect(spans).toHaveLength(3);
    expect(spans.every((s) => s.parentSpanContext?.spanId === outer.spanId)).toBe(true);
    expect(spans[0]!.attributes["db.query.text"]).toBe(square.text);
  });

  it.runIf(process.env.DATABASE_URL)("is prepared once on the pooled connection (real Postgres)", async () => {
    await handle.run(square, [5, "y"]);
    // The pool hands back its most recently released connection: the one that just prepared it.
    const names = await handle.run<{ name: string }>(preparedStatement("test_prepared_names", "select name from pg_prepared_statements"), []);
    expect(names.map((r) => r.name)).toContain("test_square");
  });

  it("fails with the database's error, recorded on its span", async () => {
    await expect(handle.run(preparedStatement("test_broken", "select * from no_such_table"), [])).rejects.toThrow(/no_such_table/);
    const [span] = tracing.spans().filter((s) => s.name === QUERY_SPAN_NAME);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes["db.response.status_code"]).toBe("42P01");
  });

  it("runs the same statement through kysely inside a transaction", async () => {
    const rows = await handle.db.transaction().execute((tx) => runThrough(tx)<{ n: number }>(square, [6, "z"]));
    expect(rows).toEqual([{ n: 36, label: "z" }]);
  });

  it("runs a kysely query as a prepared statement inside a transaction, one name per shape of its text", async () => {
    const rows = await handle.db.transaction().execute(async (tx) => {
      const one = await executePrepared(tx, "test_shape", sql<{ n: number }>`select ${7}::int as n`);
      const two = await executePrepared(tx, "test_shape", sql<{ n: number }>`select ${8}::int + ${1}::int as n`);
      return [...one, ...two];
    });
    expect(rows).toEqual([{ n: 7 }, { n: 9 }]);
  });

  it.runIf(process.env.DATABASE_URL)("prepares it on the transaction's own connection (real Postgres), by name, once per text", async () => {
    const names = await handle.db.transaction().execute(async (tx) => {
      for (const i of [1, 2, 3]) await executePrepared(tx, "test_in_tx", sql`select ${i}::int as n`);
      await executePrepared(tx, "test_in_tx", sql`select ${1}::int + 1 as n`);
      return (await sql<{ name: string }>`select name from pg_prepared_statements where name like 'test_in_tx_%'`.execute(tx)).rows.map((r) => r.name);
    });
    expect(names).toHaveLength(2);
    expect(names.every((n) => /^test_in_tx_[0-9a-z]+$/.test(n))).toBe(true);
  });

  it("runs one statement through handle.run and inside transactions on the same connections, as one prepared statement", async () => {
    for (const i of [1, 2, 3, 4, 5]) {
      expect(await handle.run<{ n: number }>(square, [i, "run"])).toEqual([{ n: i * i, label: "run" }]);
      expect(await handle.db.transaction().execute((tx) => runThrough(tx)<{ n: number }>(square, [i, "tx"]))).toEqual([{ n: i * i, label: "tx" }]);
    }
  });

  it.each(["", "Upper", "1st", "has-dash", "x".repeat(64)])("refuses the name %j", (name) => {
    expect(() => preparedStatement(name, "select 1")).toThrow(RangeError);
  });
});
