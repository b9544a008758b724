import { isSpanContextValid, trace, type SpanContext } from "@opentelemetry/api";

/** The active span's context when it is valid (not the no-op span's all-zero ids). */
export function activeSpanContext(): SpanContext | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * Trace id (32 hex chars) of the active span, or undefined outside a span or
 * when no tracer provider is registered. Used to return trace ids to callers.
 */
export function currentTraceId(): string | undefined {
  return activeSpanContext()?.traceId;
}
