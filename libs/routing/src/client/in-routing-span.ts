import { context, isSpanContextValid, SpanKind, SpanStatusCode, trace, type Context, type Span } from "@opentelemetry/api";

/** One tracer for every call (getTracer may build a tracer object per call); it follows the provider registered later, if any. */
const tracer = trace.getTracer("@orchestrator/routing");

/**
 * A span `orchestrator.routing/<operation>` (INTERNAL, a child of the
 * caller's active span), so the calls a proxyless operation makes to
 * instances join the caller's trace as they would through the router.
 * A class, not closures: it is made once per call on the hot path.
 */
export class RoutingSpan {
  /** The span's trace id; "" when no tracer provider is registered (the router answers "" then too). */
  readonly traceId: string;
  private readonly span: Span;
  private readonly active: Context;

  constructor(operation: string) {
    // Looked up per call: a provider registered after this module loaded (tests, late init) is used.
    this.span = tracer.startSpan(`orchestrator.routing/${operation}`, { kind: SpanKind.INTERNAL });
    const spanContext = this.span.spanContext();
    this.traceId = isSpanContextValid(spanContext) ? spanContext.traceId : "";
    this.active = trace.setSpan(context.active(), this.span);
  }

  /** Runs `fn` with the span active, so calls made in it (and what they start) join its trace. */
  within<A extends unknown[], T>(fn: (...args: A) => T, ...args: A): T {
    return context.with(this.active, fn, undefined, ...args);
  }

  /** Ends the span; an error given is recorded on it. */
  end(error?: unknown): void {
    if (error !== undefined) this.span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    this.span.end();
  }
}
