import { DomainError, type FieldViolation } from "./domain-error.js";

/** A request field broke a rule. Maps to INVALID_ARGUMENT with BadRequest details. */
export class InvalidArgumentError extends DomainError {
  constructor(
    readonly field: string,
    readonly rule: string,
    reason = "invalid_argument",
  ) {
    super("invalid_argument", reason, `${field}: ${rule}`, { field }, [{ field, description: rule }]);
  }

  /** Several violations at once; the message lists them all. */
  static of(violations: readonly FieldViolation[], reason = "invalid_argument"): DomainError {
    const message = violations.map((v) => `${v.field}: ${v.description}`).join("; ");
    return new DomainError("invalid_argument", reason, message, {}, violations);
  }
}

/** A named entity does not exist. With `field`, the message starts with the request field that named it. */
export class NotFoundError extends DomainError {
  constructor(
    readonly entity: string,
    readonly id: string,
    reason = `unknown_${entity}`,
    readonly field?: string,
  ) {
    super("not_found", reason, `${field ? `${field}: ` : ""}${entity} "${id}" not found`, field ? { [entity]: id, field } : { [entity]: id });
  }
}

/** An entity with this identity exists already. */
export class AlreadyExistsError extends DomainError {
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly field = "name",
  ) {
    super("already_exists", `${entity}_exists`, `${field}: ${entity} "${id}" already exists`, { [entity]: id, field }, [
      { field, description: `${entity} "${id}" already exists` },
    ]);
  }
}

/** The system is not in the state the operation requires. */
export class FailedPreconditionError extends DomainError {
  constructor(reason: string, message: string, metadata: Record<string, string> = {}) {
    super("failed_precondition", reason, message, metadata);
  }
}

/** Nothing is left to hand out (no idle instance, pool at its maximum). */
export class ResourceExhaustedError extends DomainError {
  constructor(reason: string, message: string, metadata: Record<string, string> = {}) {
    super("resource_exhausted", reason, message, metadata);
  }
}

/** A dependency (an instance, the database) cannot be reached now; retryable. */
export class UnavailableError extends DomainError {
  constructor(reason: string, message: string, metadata: Record<string, string> = {}) {
    super("unavailable", reason, message, metadata);
  }
}
