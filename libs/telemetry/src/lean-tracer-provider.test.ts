import { context, propagation, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { initTelemetry, type Telemetry } from "./init-telemetry.js";
import { LeanTracerProvider } from "./lean-tracer-provider.js";

describe("LeanTracerProvider (initTelemetry without an exporter)", () => {
  let telemetry: Telemetry | undefined;
  afterEach(async () => {
    await telemetry?.shutdown();
    telemetry = undefined;
  });

  it("is what initTelemetry registers when nothing exports spans", () => {
    telemetry = initTelemetry({ serviceName: "svc", serviceVersion: "1" });
    const span = trace.getTracer("t").startSpan("s");
    expect(span.isRecording()).toBe(false);
    expect(trace.isSpanContextValid(span.spanContext())).toBe(true);
  });

  it("continues the caller's trace, nests under the active span, and propagates a sampled traceparent", () => {
    telemetry = initTelemetry({ serviceName: "svc", serviceVersion: "1" });
    const incoming = propagation.extract(ROOT_CONTEXT, { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" });
    const server = trace.getTracer("t").startSpan("server", {}, incoming);
    expect(server.spanContext().traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    expect(server.spanContext().spanId).not.toBe("b7ad6b7169203331");

    const carrier: Record<string, string> = {};
    const child = context.with(trace.setSpan(incoming, server), () => {
      const c = trace.getTracer("t").startSpan("client");
      propagation.inject(trace.setSpan(context.active(), c), carrier);
      return c;
    });
    expect(child.spanContext().traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    expect(carrier["traceparent"]).toBe(`00-0af7651916cd43dd8448eb211c80319c-${child.spanContext().spanId}-01`);
  });

  it("starts a new sampled trace for roots, and for `root: true` even under a parent", () => {
    const tracer = new LeanTracerProvider().getTracer();
    const root = tracer.startSpan("root", {}, ROOT_CONTEXT);
    expect(root.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root.spanContext().traceFlags).toBe(1);
    const forced = tracer.startSpan("forced", { root: true }, trace.setSpan(ROOT_CONTEXT, root));
    expect(forced.spanContext().traceId).not.toBe(root.spanContext().traceId);
    const nested = tracer.startActiveSpan("nested", {}, trace.setSpan(ROOT_CONTEXT, root), (span) => span.spanContext().traceId);
    expect(nested).toBe(root.spanContext().traceId);
  });
});
