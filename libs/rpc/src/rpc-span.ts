import { Code, ConnectError } from "@connectrpc/connect";
import { type Attributes, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import type { DescMethod, DescService } from "@bufbuild/protobuf";

/** The tracer of this library; a proxy, so a provider registered later is used. */
export const tracer = trace.getTracer("@orchestrator/rpc");

/** `<service>/<method>`, e.g. `orchestrator.worker.v1.WorkerService/Execute`. */
export function rpcSpanName(service: DescService, method: DescMethod): string {
  return `${service.typeName}/${method.name}`;
}

/** The `rpc.*` semantic-convention attributes of a call. */
export function rpcAttributes(system: string, service: DescService, method: DescMethod): Attributes {
  return { "rpc.system": system, "rpc.service": service.typeName, "rpc.method": method.name };
}

/** Codes that make a server span an error (OpenTelemetry gRPC conventions); every non-OK code does for clients. */
const SERVER_ERROR_CODES: ReadonlySet<Code> = new Set([
  Code.Unknown,
  Code.DeadlineExceeded,
  Code.Unimplemented,
  Code.Internal,
  Code.Unavailable,
  Code.DataLoss,
]);

/** Records the outcome (`rpc.grpc.status_code`, error status, exception) and ends the span. */
export function endRpcSpan(span: Span, kind: "server" | "client", error: unknown): void {
  if (error === undefined) {
    span.setAttribute("rpc.grpc.status_code", 0);
    span.end();
    return;
  }
  const err = ConnectError.from(error);
  span.setAttribute("rpc.grpc.status_code", err.code);
  if (kind === "client" || SERVER_ERROR_CODES.has(err.code)) {
    span.recordException(err);
    span.setStatus({ code: SpanStatusCode.ERROR, message: err.rawMessage });
  }
  span.end();
}
