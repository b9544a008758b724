import { type ConnectError } from "@connectrpc/connect";
import { codeToHttpStatus, codeToString } from "@connectrpc/connect/protocol-connect";
import { rpcStatus } from "@orchestrator/contracts";
import { fieldViolations } from "../field-violations.js";

/**
 * The JSON body of every REST error: the gRPC code's name (`invalid_argument`,
 * `unauthenticated`, `not_found`, ...), the message, the machine-readable
 * reason (google.rpc.ErrorInfo: `unknown_instance`, `missing_api_key`, ...),
 * the first bad request field and every field violation, and the
 * ErrorInfo metadata.
 */
export interface RestErrorBody {
  readonly code: string;
  readonly message: string;
  readonly reason?: string;
  readonly field?: string;
  readonly violations?: ReadonlyArray<{ field: string; description: string }>;
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * An error as REST answers it: the HTTP status the gRPC code maps to
 * (INVALID_ARGUMENT 400, UNAUTHENTICATED 401, NOT_FOUND 404, UNAVAILABLE 503,
 * ... the Connect and grpc-gateway table; `status` overrides it) and a
 * RestErrorBody read from the error's details.
 */
export function restError(err: ConnectError, status?: number): { status: number; body: RestErrorBody } {
  const info = err.findDetails(rpcStatus.ErrorInfoSchema).find((i) => i.reason !== "");
  const violations = fieldViolations(err);
  const field = violations[0]?.field || info?.metadata["field"] || undefined;
  const metadata = info && Object.keys(info.metadata).length > 0 ? { ...info.metadata } : undefined;
  const body: RestErrorBody = {
    code: codeToString(err.code),
    message: err.rawMessage,
    ...(info ? { reason: info.reason } : {}),
    ...(field ? { field } : {}),
    ...(violations.length > 0 ? { violations } : {}),
    ...(metadata ? { metadata } : {}),
  };
  return { status: status ?? codeToHttpStatus(err.code), body };
}
