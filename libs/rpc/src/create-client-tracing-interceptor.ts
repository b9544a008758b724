import type { Interceptor } from "@connectrpc/connect";
import { context, propagation, SpanKind, trace, type TextMapSetter } from "@opentelemetry/api";
import { observeStream } from "./observe-stream.js";
import { endRpcSpan, rpcAttributes, rpcSpanName, tracer } from "./rpc-span.js";

const headerSetter: TextMapSetter<Headers> = {
  set: (headers, key, value) => headers.set(key, value),
};

/**
 * Client interceptor opening a CLIENT span `<service>/<method>` per call,
 * child of the active context, and injecting its W3C trace context
 * (`traceparent`, `tracestate`) into the request headers so the server span
 * continues the trace. `system` is the `rpc.system` attribute (`grpc` or
 * `connect_rpc`). Streaming calls end their span when the response stream
 * ends, fails or is closed.
 */
export function createClientTracingInterceptor(system: string): Interceptor {
  // Not async: the call's promise is chained, not awaited (on Node 20 every promise fires the AsyncLocalStorage hooks).
  return (next) => (req) => {
    const span = tracer.startSpan(rpcSpanName(req.service, req.method), { kind: SpanKind.CLIENT }, context.active());
    if (span.isRecording()) {
      // Built only for spans that are kept: a trivial call should not parse its URL for nothing.
      const url = URL.canParse(req.url) ? new URL(req.url) : undefined;
      span.setAttributes({
        ...rpcAttributes(system, req.service, req.method),
        ...(url ? { "server.address": url.hostname, "server.port": Number(url.port || (url.protocol === "https:" ? 443 : 80)) } : {}),
      });
    }
    // Only the trace context travels: nothing below the transport starts spans, so the call needs no active context of its own.
    propagation.inject(trace.setSpan(context.active(), span), req.header, headerSetter);
    let call: ReturnType<typeof next>;
    try {
      call = next(req);
    } catch (error) {
      call = Promise.reject(error);
    }
    return call.then(
      (res) => {
        if (!res.stream) {
          endRpcSpan(span, "client", undefined);
          return res;
        }
        return { ...res, message: observeStream(res.message, { onEnd: (error) => endRpcSpan(span, "client", error) }) };
      },
      (error: unknown) => {
        endRpcSpan(span, "client", error);
        throw error;
      },
    );
  };
}
