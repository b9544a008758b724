import { Code, ConnectError } from "@connectrpc/connect";

/**
 * A point in time after which work must stop, as an AbortSignal: it aborts
 * when the time is up (reason DEADLINE_EXCEEDED) or when the parent signal
 * (the caller's call) aborts. Call `dispose()` when done, to clear the timer.
 */
export class Deadline {
  /** When the time is up, in `performance.now()` milliseconds. */
  readonly at: number;
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private timedOut = false;

  /**
   * A deadline `ms` from now, tied to `parent`. Callers pass the smaller of
   * their own budget and the caller's remaining deadline.
   */
  constructor(
    readonly ms: number,
    private readonly parent?: AbortSignal,
  ) {
    this.at = performance.now() + ms;
    this.signal = this.controller.signal;
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new ConnectError(`deadline of ${ms} ms exceeded`, Code.DeadlineExceeded));
    }, ms);
    if (parent?.aborted) this.onParentAbort();
    else parent?.addEventListener("abort", this.onParentAbort, { once: true });
  }

  /** Milliseconds left, never negative. */
  remaining(): number {
    return Math.max(0, this.at - performance.now());
  }

  /** Whether the time ran out (as opposed to the caller cancelling). */
  get expired(): boolean {
    return this.timedOut || (!this.cancelled && this.remaining() === 0);
  }

  /** Whether the parent (the caller) cancelled. */
  get cancelled(): boolean {
    return this.parent?.aborted === true;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.parent?.removeEventListener("abort", this.onParentAbort);
  }

  private readonly onParentAbort = () => {
    this.controller.abort(this.parent?.reason ?? new ConnectError("cancelled", Code.Canceled));
  };
}

/**
 * The budget of a call: `requested` (or `fallback` when absent), cut to the
 * caller's remaining deadline minus a margin (5%, at most 100 ms) so the
 * router answers with its own error and attempt list before the caller
 * gives up.
 */
export function budgetMs(requested: number | undefined, fallback: number, callerRemainingMs: number | undefined): number {
  const own = requested ?? fallback;
  if (callerRemainingMs === undefined) return own;
  const margin = Math.min(100, callerRemainingMs * 0.05);
  return Math.max(1, Math.min(own, callerRemainingMs - margin));
}
