import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { classifyDatabaseError, DatabaseUnavailableError, DomainError } from "@orchestrator/errors";
import type { Logger } from "pino";
import { boundConnectError } from "./bound-connect-error.js";
import { observeStream } from "./observe-stream.js";
import { RepeatedFailureLog } from "./repeated-failure-log.js";
import { toConnectError } from "./to-connect-error.js";

/**
 * Server interceptor that maps errors once, at the edge: DomainError becomes
 * a ConnectError with ErrorInfo (and BadRequest) details (see
 * toConnectError); ConnectErrors pass through; an error raised because the
 * call was cancelled becomes CANCELED / DEADLINE_EXCEEDED; a database driver
 * error is classified once (classifyDatabaseError): unreachable is
 * UNAVAILABLE `database_unavailable`, a conflict ABORTED
 * `transaction_conflict`, logged once per outage and then summarised, not
 * per call; anything else is logged with its stack and answered INTERNAL
 * "internal error", so no internals reach clients. Every error leaves capped
 * in size (boundConnectError). Errors thrown while a response stream is
 * iterated are mapped too.
 */
export function createErrorInterceptor(logger: Logger): Interceptor {
  const outage = new RepeatedFailureLog(logger);
  const map = (err: unknown, req: Parameters<ReturnType<Interceptor>>[0]): ConnectError => {
    if (err instanceof ConnectError) {
      return boundConnectError(err);
    }
    if (err instanceof DomainError && !(err instanceof DatabaseUnavailableError)) {
      return boundConnectError(toConnectError(err));
    }
    if (req.signal.aborted) {
      return ConnectError.from(req.signal.reason ?? err, Code.Canceled);
    }
    const rpc = `${req.service.typeName}/${req.method.name}`;
    const classified = classifyDatabaseError(err);
    if (classified) {
      if (classified instanceof DatabaseUnavailableError) outage.failed("RPCs needing the database", err, { rpc });
      return toConnectError(classified);
    }
    logger.error({ err, rpc }, "unhandled error in RPC handler");
    return new ConnectError("internal error", Code.Internal);
  };
  // Promise chaining rather than async/await: a call that succeeds pays one promise here, not two.
  return (next) => (req) => {
    let pending: ReturnType<typeof next>;
    try {
      pending = next(req);
    } catch (err) {
      return Promise.reject(map(err, req));
    }
    return pending.then(
      (res) => {
        outage.succeeded("RPCs needing the database");
        return res.stream ? { ...res, message: observeStream(res.message, { mapError: (err) => map(err, req) }) } : res;
      },
      (err: unknown) => {
        throw map(err, req);
      },
    );
  };
}
