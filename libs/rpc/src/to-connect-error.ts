import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { rpcStatus } from "@orchestrator/contracts";
import type { DomainError, ErrorStatus } from "@orchestrator/errors";

/** The one table from domain status to gRPC code. */
const CODES: Readonly<Record<ErrorStatus, Code>> = {
  invalid_argument: Code.InvalidArgument,
  not_found: Code.NotFound,
  already_exists: Code.AlreadyExists,
  failed_precondition: Code.FailedPrecondition,
  resource_exhausted: Code.ResourceExhausted,
  unavailable: Code.Unavailable,
  deadline_exceeded: Code.DeadlineExceeded,
  aborted: Code.Aborted,
  permission_denied: Code.PermissionDenied,
  unauthenticated: Code.Unauthenticated,
  internal: Code.Internal,
  cancelled: Code.Canceled,
  unknown: Code.Unknown,
  unimplemented: Code.Unimplemented,
  out_of_range: Code.OutOfRange,
  data_loss: Code.DataLoss,
};

/** The google.rpc.ErrorInfo domain of every orchestrator error. */
export const ERROR_DOMAIN = "orchestrator";

/**
 * Maps a DomainError to the ConnectError clients see: its status through one
 * table, its message as is, a google.rpc.ErrorInfo detail {reason, domain
 * "orchestrator", metadata} and, when it has violations, a google.rpc.BadRequest
 * detail. Read them back with `errorReason()` and `fieldViolations()`.
 */
export function toConnectError(err: DomainError): ConnectError {
  const details: ConstructorParameters<typeof ConnectError>[3] = [
    {
      desc: rpcStatus.ErrorInfoSchema,
      value: create(rpcStatus.ErrorInfoSchema, { reason: err.reason, domain: ERROR_DOMAIN, metadata: { ...err.metadata } }),
    },
  ];
  if (err.violations.length > 0) {
    details.push({
      desc: rpcStatus.BadRequestSchema,
      value: create(rpcStatus.BadRequestSchema, {
        fieldViolations: err.violations.map((v) => ({ field: v.field, description: v.description })),
      }),
    });
  }
  return new ConnectError(err.message, CODES[err.status] ?? Code.Internal, undefined, details, err);
}
