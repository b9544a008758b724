import { context, propagation, SpanKind, trace, type Context, type Span } from "@opentelemetry/api";

const tracer = () => trace.getTracer("@orchestrator/scheduler");

/** A dispatch's span and its W3C trace context, recorded on the dispatch context. */
export interface DispatchSpan {
  readonly span: Span;
  /** `traceparent` of the span; null when tracing is off. */
  readonly traceparent: string | null;
  readonly traceId: string | null;
}

/**
 * Starts the span of one dispatch (`scheduler.dispatch`), a child of the
 * active context (a Dispatch call continues its caller's trace; a run
 * driver, which runs in the root context, starts one trace per dispatch).
 * The Route or Send call runs inside it, so the trace goes on to the router
 * and the worker; its traceparent is stored on the dispatch context so the
 * agent's report joins the same trace.
 */
export function startDispatchSpan(attributes: Record<string, string | number>): DispatchSpan {
  const span = tracer().startSpan("scheduler.dispatch", { kind: SpanKind.INTERNAL, attributes });
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), carrier);
  const valid = span.spanContext().traceFlags !== undefined && trace.isSpanContextValid(span.spanContext());
  return { span, traceparent: valid ? (carrier["traceparent"] ?? null) : null, traceId: valid ? span.spanContext().traceId : null };
}

/** The context to run a dispatch's call in. */
export function dispatchContext(span: Span): Context {
  return trace.setSpan(context.active(), span);
}

/**
 * Runs `fn` in a span that continues a dispatch's trace (from its stored
 * traceparent; a new trace when there is none): processing an agent's
 * report shows in the trace of the dispatch it answers.
 */
export async function inDispatchTrace<T>(name: string, traceparent: string | null, attributes: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const parent = traceparent ? propagation.extract(context.active(), { traceparent }) : context.active();
  return tracer().startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes }, parent, async (span) => {
    try {
      return await fn();
    } finally {
      span.end();
    }
  });
}
