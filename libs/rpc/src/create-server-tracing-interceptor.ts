import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { context, isSpanContextValid, propagation, ROOT_CONTEXT, SpanKind, trace, type TextMapGetter } from "@opentelemetry/api";
import { observeStream } from "./observe-stream.js";
import { endRpcSpan, rpcAttributes, rpcSpanName, tracer } from "./rpc-span.js";

/** Response header carrying the trace id of the server span. */
export const TRACE_ID_HEADER = "x-trace-id";

const headerGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/**
 * Server interceptor opening a SERVER span `<service>/<method>` per call,
 * child of the W3C trace context in the request headers (the global
 * propagator extracts it), with `rpc.system` (`grpc` for gRPC and gRPC-Web,
 * `connect_rpc` otherwise), `rpc.service`, `rpc.method` and
 * `rpc.grpc.status_code`. The handler runs inside the span's context, so
 * spans it starts (database queries, outgoing calls) nest under it; for
 * streams each step of the response runs in it and the span ends with the
 * stream. The trace id is answered in the `x-trace-id` response header (or
 * the error's metadata). Uses only @opentelemetry/api: without an SDK it
 * costs next to nothing.
 */
export function createServerTracingInterceptor(): Interceptor {
  return (next) => (req) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.header, headerGetter);
    const system = (req.header.get("content-type") ?? "").startsWith("application/grpc") ? "grpc" : "connect_rpc";
    const span = tracer.startSpan(
      rpcSpanName(req.service, req.method),
      { kind: SpanKind.SERVER, attributes: rpcAttributes(system, req.service, req.method) },
      parent,
    );
    const spanContext = trace.setSpan(parent, span);
    const traceId = isSpanContextValid(span.spanContext()) ? span.spanContext().traceId : undefined;
    const failed = (error: unknown): never => {
      const err = ConnectError.from(error);
      if (traceId) {
        err.metadata.set(TRACE_ID_HEADER, traceId);
      }
      endRpcSpan(span, "server", err);
      throw err;
    };
    let pending: ReturnType<typeof next>;
    try {
      pending = context.with(spanContext, () => next(req));
    } catch (error) {
      return Promise.reject(ConnectError.from(error)).catch(failed);
    }
    // Promise chaining rather than async/await: one promise per call here, not two.
    return pending.then((res) => {
      if (traceId) {
        res.header.set(TRACE_ID_HEADER, traceId);
      }
      if (!res.stream) {
        endRpcSpan(span, "server", undefined);
        return res;
      }
      return {
        ...res,
        message: observeStream(res.message, {
          run: (step) => context.with(spanContext, step),
          onEnd: (error) => {
            const cancelled = error === undefined && req.signal.aborted;
            endRpcSpan(span, "server", cancelled ? new ConnectError("cancelled", Code.Canceled) : error);
          },
        }),
      };
    }, failed);
  };
}
