import type http2 from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import { setTrailerStatus } from "@connectrpc/connect/protocol-grpc";

/** Copies `from` into an HTTP/2 header block (lower-case names, as Headers keeps them). */
export function addHeaders(target: http2.OutgoingHttpHeaders, from: Headers): http2.OutgoingHttpHeaders {
  from.forEach((value, key) => {
    target[key] = value;
  });
  return target;
}

/**
 * The gRPC status fields of an error (`grpc-status`, percent-encoded
 * `grpc-message`, `grpc-status-details-bin` with its details such as
 * ErrorInfo and BadRequest, and the error's metadata) added to `target`,
 * through connect's own `setTrailerStatus`, so the gRPC wire carries
 * exactly what connect-node writes. A non-ConnectError is INTERNAL.
 */
export function addErrorStatus(target: http2.OutgoingHttpHeaders, error: unknown): http2.OutgoingHttpHeaders {
  const err = error instanceof ConnectError ? error : new ConnectError("internal error", Code.Internal, undefined, undefined, error);
  return addHeaders(target, setTrailerStatus(new Headers(), err));
}
