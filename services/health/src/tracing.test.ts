import { context, trace } from "@opentelemetry/api";
import { HealthService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { startInMemoryTracing } from "@orchestrator/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHealthServer, type HealthServerFixture } from "./test-support.js";

describe("tracing", () => {
  const tracing = startInMemoryTracing();
  let fx: HealthServerFixture;

  beforeAll(async () => {
    fx = await startHealthServer({ probing: false });
  });
  afterAll(async () => {
    await fx.close();
    await tracing.shutdown();
  });

  it("one trace spans the client call, the health service handler and its Postgres queries", async () => {
    tracing.reset();
    const client = createServiceClient(HealthService, { address: fx.address });
    const root = trace.getTracer("test").startSpan("cli health");
    await context.with(trace.setSpan(context.active(), root), () =>
      client.registerInstance({ name: "T1", address: "127.0.0.1:7001" }),
    );
    root.end();
    const traceId = root.spanContext().traceId;
    const spans = tracing.spans().filter((s) => s.spanContext().traceId === traceId);
    const names = spans.map((s) => s.name);
    expect(names).toContain("orchestrator.health.v1.HealthService/RegisterInstance");
    const server = spans.find((s) => s.name === "orchestrator.health.v1.HealthService/RegisterInstance" && s.kind === 1);
    expect(server).toBeDefined();
    const queries = spans.filter((s) => s.name === "db.query");
    expect(queries.length).toBeGreaterThan(0);
    expect(String(queries.map((q) => q.attributes["db.query.text"]).join("\n"))).toMatch(/insert into "instances"/i);
  });
});
