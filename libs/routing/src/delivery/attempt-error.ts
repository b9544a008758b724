import { Code, ConnectError } from "@connectrpc/connect";
import { codeName } from "./code-names.js";

/** Node system error codes that mean the instance could not be reached at all. */
const CONNECTION_ERRNOS = new Set(["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);

/** Codes worth another attempt (the per-attempt DEADLINE_EXCEEDED among them). */
const RETRYABLE = new Set([Code.Unavailable, Code.ResourceExhausted, Code.DeadlineExceeded]);

/**
 * Why one attempt failed, classified once: the code to report, whether
 * another attempt may help, whether the instance could not be reached
 * (connection refused or reset, stream cut without a gRPC status: the
 * instance counts as down), and whether the caller gave up (not the
 * instance's fault).
 */
export class AttemptError extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly instance: string,
    readonly retryable: boolean,
    readonly unreachable: boolean,
    readonly abandoned: boolean,
  ) {
    super(message);
    this.name = "AttemptError";
  }

  /** `A: UNAVAILABLE connect ECONNREFUSED ...` */
  describe(): string {
    return `${this.instance}: ${codeName(this.code)} ${this.message}`;
  }

  /**
   * Classifies what a WorkerService call threw. `stopped` is why the router
   * stopped the call (Deadline.stopReason: its deadline, or its caller
   * cancelling), undefined when it did not: then the instance or the
   * connection failed it. A status the instance answered carries
   * `grpc-status` in its trailers; anything else failed below gRPC.
   */
  static from(error: unknown, instance: string, stopped: unknown): AttemptError {
    const e = ConnectError.from(error);
    if (stopped !== undefined) {
      const code = e.code === Code.DeadlineExceeded || isDeadline(stopped) ? Code.DeadlineExceeded : Code.Canceled;
      return new AttemptError(code, e.rawMessage, instance, false, false, true);
    }
    const answered = e.metadata.get("grpc-status") !== null;
    const unreachable = !answered && (hasConnectionErrno(e) || e.code !== Code.DeadlineExceeded);
    // A stream the instance cut (shutting down, crashed) is as good as unreachable.
    const code = unreachable && e.code !== Code.Unavailable ? Code.Unavailable : e.code;
    return new AttemptError(code, e.rawMessage, instance, RETRYABLE.has(code), unreachable, false);
  }
}

function isDeadline(reason: unknown): boolean {
  return reason instanceof ConnectError && reason.code === Code.DeadlineExceeded;
}

function hasConnectionErrno(e: ConnectError): boolean {
  for (let cause: unknown = e.cause, depth = 0; cause && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_ERRNOS.has(code)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}
