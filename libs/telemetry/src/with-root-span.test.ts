import { SpanStatusCode, trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { currentTraceId } from "./current-trace-id.js";
import { startInMemoryTracing, type InMemoryTracing } from "./start-in-memory-tracing.js";
import { withRootSpan } from "./with-root-span.js";

describe("withRootSpan", () => {
  let tracing: InMemoryTracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  it("starts a new trace even inside another span, and children join it", async () => {
    tracing = startInMemoryTracing();
    const outer = trace.getTracer("test").startSpan("outer");
    const seen = await trace.getTracer("test").startActiveSpan("active", async (active) => {
      const id = await withRootSpan("instances register", async () => {
        trace.getTracer("test").startSpan("child").end();
        return currentTraceId();
      }, { "cli.command": "instances register" });
      active.end();
      return { id, activeTrace: active.spanContext().traceId };
    });
    outer.end();
    const root = tracing.spans().find((s) => s.name === "instances register")!;
    const child = tracing.spans().find((s) => s.name === "child")!;
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.attributes["cli.command"]).toBe("instances register");
    expect(seen.id).toBe(root.spanContext().traceId);
    expect(seen.id).not.toBe(seen.activeTrace);
    expect(child.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
  });

  it("records a thrown error on the span and rethrows it", async () => {
    tracing = startInMemoryTracing();
    await expect(withRootSpan("fails", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    const span = tracing.spans().find((s) => s.name === "fails")!;
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: "boom" });
    expect(span.events.map((e) => e.name)).toEqual(["exception"]);
  });
});
