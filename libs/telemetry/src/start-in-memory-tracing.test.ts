import { context, propagation, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { initTelemetry } from "./init-telemetry.js";
import { startInMemoryTracing, type InMemoryTracing } from "./start-in-memory-tracing.js";

describe("startInMemoryTracing", () => {
  let tracing: InMemoryTracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  it("collects ended spans with the resource attributes", () => {
    tracing = startInMemoryTracing({ serviceName: "health", serviceVersion: "9.9.9" });
    trace.getTracer("test").startActiveSpan("outer", (outer) => {
      trace.getTracer("test").startSpan("inner").end();
      outer.end();
    });
    const spans = tracing.spans();
    expect(spans.map((s) => s.name)).toEqual(["inner", "outer"]);
    expect(spans[0]!.resource.attributes["service.name"]).toBe("health");
    expect(spans[0]!.resource.attributes["service.version"]).toBe("9.9.9");
    expect(spans[0]!.parentSpanContext?.spanId).toBe(spans[1]!.spanContext().spanId);
    tracing.reset();
    expect(tracing.spans()).toEqual([]);
  });

  it("keeps the active context across await (AsyncLocalStorage)", async () => {
    tracing = startInMemoryTracing();
    const inner = await trace.getTracer("test").startActiveSpan("outer", async (outer) => {
      await new Promise((r) => setTimeout(r, 1));
      const id = trace.getActiveSpan()?.spanContext().spanId;
      outer.end();
      return { id, expected: outer.spanContext().spanId };
    });
    expect(inner.id).toBe(inner.expected);
  });

  it("round-trips W3C trace context through inject and extract", () => {
    tracing = startInMemoryTracing();
    const span = trace.getTracer("test").startSpan("client");
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), carrier);
    expect(carrier.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);

    const extracted = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, carrier));
    expect(extracted).toMatchObject({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId, isRemote: true });
    const child = trace.getTracer("test").startSpan("server", {}, propagation.extract(ROOT_CONTEXT, carrier));
    expect(child.spanContext().traceId).toBe(span.spanContext().traceId);
    child.end();
    span.end();
  });

  it("is idempotent while active and refuses to replace initTelemetry", async () => {
    tracing = startInMemoryTracing();
    expect(startInMemoryTracing()).toBe(tracing);
    await tracing.shutdown();
    tracing = undefined;

    const telemetry = initTelemetry({ serviceName: "x", serviceVersion: "1" });
    try {
      expect(() => startInMemoryTracing()).toThrow(/initTelemetry already registered/);
    } finally {
      await telemetry.shutdown();
    }
  });
});
