/**
 * The status a domain error maps to at the RPC edge. Named like gRPC codes so
 * the mapping is one table, but free of any transport dependency: services
 * throw these and never see ConnectError.
 */
export type ErrorStatus =
  | "invalid_argument"
  | "not_found"
  | "already_exists"
  | "failed_precondition"
  | "resource_exhausted"
  | "unavailable"
  | "deadline_exceeded"
  | "aborted"
  | "permission_denied"
  | "unauthenticated"
  | "internal"
  | "cancelled"
  | "unknown"
  | "unimplemented"
  | "out_of_range"
  | "data_loss";

/** A bad request field: which one, and the rule it broke. */
export interface FieldViolation {
  /** Field path in the request, proto names: `name`, `labels["x"]`, `instances[2]`. */
  readonly field: string;
  /** The rule, in words a person can act on. */
  readonly description: string;
}

/**
 * Base of every error a service raises on purpose. `reason` is the
 * machine-readable cause (`unknown_instance`, `instance_down`, ...), carried
 * to clients as google.rpc.ErrorInfo; `metadata` adds typed context.
 */
export class DomainError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly reason: string,
    message: string,
    readonly metadata: Readonly<Record<string, string>> = {},
    readonly violations: readonly FieldViolation[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}
