import { SpanKind, SpanStatusCode, trace, type Attributes } from "@opentelemetry/api";

/**
 * Runs `fn` inside a new root span `name` (a new trace, whatever context is
 * active), so every span `fn` starts, and every call it makes, joins that
 * trace. The span ends when `fn` settles; a thrown error is recorded on it
 * and rethrown. For the top of a unit of work with no caller to continue
 * from, such as one CLI command.
 */
export async function withRootSpan<T>(name: string, fn: () => Promise<T>, attributes: Attributes = {}): Promise<T> {
  // The tracer is looked up per call: a provider registered after this module loaded (tests, re-init) is used.
  return trace.getTracer("@orchestrator/telemetry").startActiveSpan(name, { root: true, kind: SpanKind.INTERNAL, attributes }, async (span) => {
    try {
      return await fn();
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      span.recordException(err);
      span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
      throw error;
    } finally {
      span.end();
    }
  });
}
