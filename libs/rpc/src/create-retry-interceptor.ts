import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { MethodOptions_IdempotencyLevel as Idempotency } from "@bufbuild/protobuf/wkt";

/** Options of createRetryInterceptor. */
export interface RetryOptions {
  /** Attempts in all, the first included. @default 4 */
  readonly maxAttempts?: number;
  /** Delay before the first retry; it doubles for each next one, jittered ±50 %. @default 200 */
  readonly initialDelayMs?: number;
  /** Longest delay between attempts. @default 2000 */
  readonly maxDelayMs?: number;
}

/**
 * Client interceptor that retries a unary call answered UNAVAILABLE
 * (`database_unavailable`, a replica restarting, a refused connection) with
 * exponential backoff and jitter, but only for methods the contract declares
 * safe to repeat (`idempotency_level` NO_SIDE_EFFECTS or IDEMPOTENT): a
 * retried write could otherwise happen twice. Never outlives the call's own
 * deadline or cancellation; streams are left alone (see the CLI's reattach).
 */
export function createRetryInterceptor(options: RetryOptions = {}): Interceptor {
  const maxAttempts = options.maxAttempts ?? 4;
  const initial = options.initialDelayMs ?? 200;
  const max = options.maxDelayMs ?? 2000;
  return (next) => (req) => {
    if (req.stream || (req.method.idempotency !== Idempotency.NO_SIDE_EFFECTS && req.method.idempotency !== Idempotency.IDEMPOTENT)) {
      return next(req);
    }
    // Promise chaining rather than an async loop: a call that succeeds pays no extra promise.
    const attempt = (n: number): ReturnType<typeof next> =>
      next(req).catch(async (err: unknown) => {
        if (n >= maxAttempts || req.signal.aborted || ConnectError.from(err).code !== Code.Unavailable) throw err;
        const delay = Math.min(max, initial * 2 ** (n - 1)) * (0.5 + Math.random());
        if (!(await pause(delay, req.signal))) throw err;
        return attempt(n + 1);
      });
    return attempt(1);
  };
}

/** Resolves true after `ms`, false as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
