import { context, isSpanContextValid, SpanKind, SpanStatusCode, trace, type Context, type Span } from "@opentelemetry/api";

/** A started routing span; see startRoutingSpan. */
export interface RoutingSpan {
  /** The span's trace id; "" when no tracer provider is registered (the router answers "" then too). */
  readonly traceId: string;
  /** Runs `fn` with the span active, so calls made in it (and what they start) join its trace. */
  within<T>(fn: () => T): T;
  /** Ends the span; an error given is recorded on it. */
  end(error?: unknown): void;
}

/**
 * Starts a span `orchestrator.routing/<operation>` (INTERNAL, a child of
 * the caller's active span), so the calls a proxyless operation makes to
 * instances join the caller's trace as they would through the router.
 */
export function startRoutingSpan(operation: string): RoutingSpan {
  // Looked up per call: a provider registered after this module loaded (tests, late init) is used.
  const span: Span = trace.getTracer("@orchestrator/routing").startSpan(`orchestrator.routing/${operation}`, { kind: SpanKind.INTERNAL });
  const spanContext = span.spanContext();
  const active: Context = trace.setSpan(context.active(), span);
  return {
    traceId: isSpanContextValid(spanContext) ? spanContext.traceId : "",
    within: (fn) => context.with(active, fn),
    end(error) {
      if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      span.end();
    },
  };
}

/** Runs `fn` in a routing span (see startRoutingSpan), handing it the trace id; the span ends when `fn` settles. */
export async function inRoutingSpan<T>(operation: string, fn: (traceId: string) => Promise<T>): Promise<T> {
  const span = startRoutingSpan(operation);
  try {
    const result = await span.within(() => fn(span.traceId));
    span.end();
    return result;
  } catch (error) {
    span.end(error);
    throw error;
  }
}
