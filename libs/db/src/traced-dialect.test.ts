import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { startInMemoryTracing, type InMemoryTracing } from "@orchestrator/telemetry";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./create-test-database.js";
import { QUERY_SPAN_NAME } from "./traced-connection.js";

describe("query spans", () => {
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

  const querySpans = () => tracing.spans().filter((s) => s.name === QUERY_SPAN_NAME);

  it("makes each query a CLIENT child span of the active span, without parameters", async () => {
    const outer = await trace.getTracer("test").startActiveSpan("handler", async (span) => {
      await handle.db.selectFrom("instances").selectAll().where("name", "=", "secret-value").execute();
      span.end();
      return span.spanContext();
    });
    const [query] = querySpans();
    expect(query).toBeDefined();
    expect(query!.kind).toBe(SpanKind.CLIENT);
    expect(query!.spanContext().traceId).toBe(outer.traceId);
    expect(query!.parentSpanContext?.spanId).toBe(outer.spanId);
    expect(query!.attributes["db.system.name"]).toBe("postgresql");
    expect(query!.attributes["db.query.text"]).toBe('select * from "instances" where "name" = $1');
    expect(String(query!.attributes["db.namespace"])).toMatch(handle.url ? /^orch_t_/ : /^postgres$/);
    expect(JSON.stringify(query!.attributes)).not.toContain("secret-value");
  });

  it("records failures with the SQLSTATE", async () => {
    await expect(sql`select * from no_such_table`.execute(handle.db)).rejects.toThrow(/no_such_table/);
    const [query] = querySpans();
    expect(query!.status.code).toBe(SpanStatusCode.ERROR);
    expect(query!.attributes["db.response.status_code"]).toBe("42P01");
  });

  it("traces transaction statements, and savepoints work on both backends", async () => {
    const trx = await handle.db.startTransaction().execute();
    await trx.insertInto("instances").values({ name: "S", address: "a:1", kind: "agent" }).execute();
    const sp = await trx.savepoint("inner").execute();
    await sp.insertInto("instances").values({ name: "T", address: "a:2", kind: "agent" }).execute();
    await sp.rollbackToSavepoint("inner").execute();
    await trx.commit().execute();
    const names = await handle.db.selectFrom("instances").select("name").where("name", "in", ["S", "T"]).execute();
    expect(names).toEqual([{ name: "S" }]);
    const texts = querySpans().map((s) => String(s.attributes["db.query.text"]).toLowerCase());
    expect(texts[0]).toBe("begin");
    expect(texts).toContain("commit");
    expect(texts.some((t) => t.startsWith("savepoint"))).toBe(true);
    expect(texts.some((t) => t.startsWith("rollback to"))).toBe(true);
  });
});
