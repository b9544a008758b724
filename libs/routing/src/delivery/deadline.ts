import { Code, ConnectError } from "@connectrpc/connect";

/**
 * A point in time after which work must stop, tied to the caller's signal.
 * Cheap to make: nothing but a number until something needs it as an
 * AbortSignal. A single call is given `callSignal` (the caller's own
 * signal) and `remaining()` as its timeout, which its transport enforces
 * (gRPC deadline): no controller, no timer. `signal`, made on first read
 * (retry backoff, a fanout, a session's queue), aborts when the time is up
 * (reason DEADLINE_EXCEEDED) or when the caller's signal aborts; call
 * `dispose()` when done, to clear its timer.
 */
export class Deadline {
  /** When the time is up, in `performance.now()` milliseconds. */
  readonly at: number;
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private onParentAbort: (() => void) | undefined;
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
  }

  /** Aborts when the time is up or the caller cancels; made (with its timer) on first read. */
  get signal(): AbortSignal {
    if (this.controller) return this.controller.signal;
    const controller = (this.controller = new AbortController());
    const parent = this.parent;
    const onTimeUp = () => {
      this.timedOut = true;
      controller.abort(this.exceeded());
    };
    const onParentAbort = () => controller.abort(parent?.reason ?? new ConnectError("cancelled", Code.Canceled));
    if (parent?.aborted) onParentAbort();
    else {
      const left = this.remaining();
      if (left === 0) onTimeUp();
      else {
        this.timer = setTimeout(onTimeUp, left);
        if (parent) {
          this.onParentAbort = onParentAbort;
          parent.addEventListener("abort", onParentAbort, { once: true });
        }
      }
    }
    return controller.signal;
  }

  /**
   * The signal to give one call that is also given `remaining()` (or less)
   * as its own timeout: `signal` once something made it, else the caller's
   * (undefined when there is none).
   */
  get callSignal(): AbortSignal | undefined {
    return this.controller ? this.controller.signal : this.parent;
  }

  /**
   * Why work must stop now, undefined while it may go on: the abort reason
   * of `signal` or of the caller's signal, or a DEADLINE_EXCEEDED error
   * once the time is up (within a millisecond: a transport's deadline timer
   * has millisecond resolution), even if no timer of ours noticed.
   */
  stopReason(): unknown {
    if (this.controller?.signal.aborted) return this.controller.signal.reason;
    if (this.parent?.aborted) return this.parent.reason ?? new ConnectError("cancelled", Code.Canceled);
    if (this.at - performance.now() < 1) return this.exceeded();
    return undefined;
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
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.onParentAbort) this.parent?.removeEventListener("abort", this.onParentAbort);
  }

  private exceeded(): ConnectError {
    return new ConnectError(`deadline of ${this.ms} ms exceeded`, Code.DeadlineExceeded);
  }
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
