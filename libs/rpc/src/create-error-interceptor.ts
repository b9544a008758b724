import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { DomainError } from "@orchestrator/errors";
import type { Logger } from "pino";
import { observeStream } from "./observe-stream.js";
import { toConnectError } from "./to-connect-error.js";

/**
 * Server interceptor that maps errors once, at the edge: DomainError becomes
 * a ConnectError with ErrorInfo (and BadRequest) details (see
 * toConnectError); ConnectErrors pass through; an error raised because the
 * call was cancelled becomes CANCELED / DEADLINE_EXCEEDED; anything else is
 * logged with its stack and answered INTERNAL "internal error", so no
 * internals reach clients. Errors thrown while a response stream is iterated
 * are mapped too.
 */
export function createErrorInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    const map = (err: unknown): ConnectError => {
      if (err instanceof ConnectError) {
        return err;
      }
      if (err instanceof DomainError) {
        return toConnectError(err);
      }
      if (req.signal.aborted) {
        return ConnectError.from(req.signal.reason ?? err, Code.Canceled);
      }
      logger.error({ err, rpc: `${req.service.typeName}/${req.method.name}` }, "unhandled error in RPC handler");
      return new ConnectError("internal error", Code.Internal);
    };
    try {
      const res = await next(req);
      return res.stream ? { ...res, message: observeStream(res.message, { mapError: map }) } : res;
    } catch (err) {
      throw map(err);
    }
  };
}
