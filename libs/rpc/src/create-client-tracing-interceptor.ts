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
  return (next) => async (req) => {
    const parent = context.active();
    const url = URL.canParse(req.url) ? new URL(req.url) : undefined;
    const span = tracer.startSpan(
      rpcSpanName(req.service, req.method),
      {
        kind: SpanKind.CLIENT,
        attributes: {
          ...rpcAttributes(system, req.service, req.method),
          ...(url ? { "server.address": url.hostname, "server.port": Number(url.port || (url.protocol === "https:" ? 443 : 80)) } : {}),
        },
      },
      parent,
    );
    const spanContext = trace.setSpan(parent, span);
    propagation.inject(spanContext, req.header, headerSetter);
    try {
      const res = await context.with(spanContext, () => next(req));
      if (!res.stream) {
        endRpcSpan(span, "client", undefined);
        return res;
      }
      return { ...res, message: observeStream(res.message, { onEnd: (error) => endRpcSpan(span, "client", error) }) };
    } catch (error) {
      endRpcSpan(span, "client", error);
      throw error;
    }
  };
}
