import { DomainError, type ErrorStatus } from "./domain-error.js";

/**
 * Errors of delivering work to instances (router, and whoever calls it).
 * `metadata.attempts`, when present, is the JSON list of attempts made
 * (`[{"number":1,"instance":"A","code":"UNAVAILABLE","latencyMs":2.1}]`).
 */

/** The one instance that could serve is down (and falling back was not allowed). Retryable later. */
export class InstanceDownError extends DomainError {
  constructor(
    readonly instance: string,
    metadata: Record<string, string> = {},
  ) {
    super("unavailable", "instance_down", `instance "${instance}" is down`, { instance, ...metadata });
  }
}

/** Every instance the selectors matched is down, ejected or not yet probed healthy. */
export class NoHealthyInstanceError extends DomainError {
  constructor(
    readonly selectors: readonly string[],
    metadata: Record<string, string> = {},
  ) {
    super("unavailable", "no_healthy_instance", `no healthy instance among ${selectors.join(", ")}`, {
      selectors: selectors.join(","),
      ...metadata,
    });
  }
}

/** Every attempt failed with a retryable code; `status` is the last attempt's. */
export class AllAttemptsFailedError extends DomainError {
  constructor(
    status: ErrorStatus,
    readonly attempts: number,
    lastError: string,
    metadata: Record<string, string> = {},
  ) {
    super(status, "all_attempts_failed", `all ${attempts} attempts failed; last: ${lastError}`, metadata);
  }
}

/** An instance answered a non-retryable error; its status and message are passed through. */
export class InstanceCallError extends DomainError {
  constructor(
    status: ErrorStatus,
    readonly instance: string,
    message: string,
    metadata: Record<string, string> = {},
  ) {
    super(status, "instance_error", `instance "${instance}": ${message}`, { instance, ...metadata });
  }
}

/** The call's deadline passed before the work was done. */
export class DeadlineExceededError extends DomainError {
  constructor(message: string, metadata: Record<string, string> = {}) {
    super("deadline_exceeded", "deadline_exceeded", message, metadata);
  }
}

/** No session has this id (or token). The message names the request field; a token is never echoed. */
export class UnknownSessionError extends DomainError {
  constructor(
    readonly sessionId: string,
    readonly field: "session_id" | "token" = "session_id",
  ) {
    const byToken = field === "token";
    super(
      "not_found",
      "unknown_session",
      byToken ? "token: no session has this token" : `${field}: no session "${sessionId}"`,
      byToken ? { field } : { session_id: sessionId, field },
    );
  }
}
