import { Code, ConnectError } from "@connectrpc/connect";
import { DomainError } from "@orchestrator/errors";
import { toConnectError } from "@orchestrator/rpc";

/**
 * The error a proxyless call throws, as the router's edge would have
 * answered it: a DomainError becomes the same ConnectError (code, message,
 * ErrorInfo reason and metadata, BadRequest violations); a call its caller
 * stopped is CANCELLED (or DEADLINE_EXCEEDED when the signal says so); a
 * ConnectError passes through; anything else is wrapped as it is.
 */
export function toCallerError(error: unknown, signal: AbortSignal | undefined): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof DomainError) return toConnectError(error);
  if (signal?.aborted) return ConnectError.from(signal.reason ?? error, Code.Canceled);
  return ConnectError.from(error);
}
