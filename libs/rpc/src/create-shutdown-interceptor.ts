import type { Interceptor } from "@connectrpc/connect";

/**
 * Server interceptor giving every streaming handler a signal that also aborts
 * when `shutdown` does, so Watch-style streams return on graceful shutdown
 * instead of holding the server open until the drain timeout. Unary calls
 * keep their own signal: they finish (drain) rather than being cut short.
 */
export function createShutdownInterceptor(shutdown: AbortSignal): Interceptor {
  return (next) => (req) => {
    if (!req.stream) {
      return next(req);
    }
    return next({ ...req, signal: AbortSignal.any([req.signal, shutdown]) });
  };
}
