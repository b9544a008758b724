import { setTimeout as sleep } from "node:timers/promises";
import { Code, ConnectError } from "@connectrpc/connect";
import { isTransient } from "./is-transient.js";

/** Options of reattaching. */
export interface ReattachOptions<T = unknown> {
  /** Told each time the stream is reopened, with the error that ended it. */
  readonly onReattach?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Longest pause between attempts; the first is 250 ms, doubling. @default 5000 */
  readonly maxDelayMs?: number;
  /** Give up (rethrow) once transient failures have lasted this long without one message in between. @default 600000 */
  readonly giveUpAfterMs?: number;
  /**
   * The item after which the stream is over (WatchRun's `finished`). When
   * given, a stream that ends before such an item is reopened like one that
   * failed transiently: a server shutting down (a replica being replaced)
   * ends its Watch streams cleanly, and the run goes on elsewhere.
   * @default none: the stream is over when it ends
   */
  readonly isLast?: (item: T) => boolean;
}

/**
 * Iterates the server stream `open()` returns and, when it fails with a
 * transient error (isTransient: UNAVAILABLE, a dropped connection), opens it
 * again after a backoff instead of failing: `run --follow` and `--watch`
 * keep going through a database restart or a replica being replaced. Streams
 * this wraps start with a snapshot, so nothing is missed across a reattach.
 * Ends when the stream ends (with `isLast`, after the last item); a
 * non-transient error is thrown at once.
 */
export async function* reattaching<T>(open: () => AsyncIterable<T>, options: ReattachOptions<T> = {}): AsyncGenerator<T> {
  const maxDelay = options.maxDelayMs ?? 5000;
  const giveUpAfter = options.giveUpAfterMs ?? 600_000;
  let attempt = 0;
  let failingSince: number | undefined;
  for (;;) {
    try {
      for await (const item of open()) {
        attempt = 0;
        failingSince = undefined;
        yield item;
        if (options.isLast?.(item)) return;
      }
      if (!options.isLast) return;
      throw new ConnectError("the server ended the stream early", Code.Unavailable);
    } catch (err) {
      const now = Date.now();
      failingSince ??= now;
      if (!isTransient(err) || now - failingSince > giveUpAfter) throw err;
      attempt++;
      const delay = Math.min(maxDelay, 250 * 2 ** (attempt - 1)) * (0.75 + Math.random() / 2);
      options.onReattach?.(err, attempt, delay);
      await sleep(delay);
    }
  }
}

/**
 * Makes a unary call that waits server-side (`check --wait`) and calls it
 * again after a transient error, with `remainingMs` of the wait left, until
 * it answers or the wait is used up (then the last error is thrown).
 */
export async function retryingWait<T>(call: (remainingMs: number) => Promise<T>, waitMs: number, onRetry?: (error: unknown, attempt: number) => void): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(Math.max(0, deadline - Date.now()));
    } catch (err) {
      if (!isTransient(err) || Date.now() >= deadline) throw err;
      onRetry?.(err, attempt);
      await sleep(Math.min(5000, Math.min(deadline - Date.now(), 250 * 2 ** (attempt - 1))));
    }
  }
}
