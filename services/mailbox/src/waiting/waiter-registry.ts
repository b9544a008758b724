import { ResourceExhaustedError, UnavailableError } from "@orchestrator/errors";

/** Someone in this process waiting for a handle's messages: a waiting Check or a Subscribe stream. */
export interface Waiter {
  readonly handle: string;
  /** Types it cares about; any type when undefined. */
  readonly types: ReadonlySet<string> | undefined;
  /** Something it may care about was committed: look again. Must not throw. */
  wake(): void;
  /** The registry is closing (shutdown): give up with `reason`. Must not throw. */
  close(reason: Error): void;
}

/**
 * Every waiter of this process, keyed by handle. Wake-ups come from this
 * replica's own sends (at once, after commit) and from the one LISTEN
 * connection (sends on any replica); a waiter then re-runs its own query.
 * Nothing here polls and nothing holds a database connection while waiting.
 * At most `maxWaiters` at once, so memory stays bounded.
 */
export class WaiterRegistry {
  private readonly byHandle = new Map<string, Set<Waiter>>();
  private count = 0;
  private closed: Error | undefined;

  constructor(private readonly maxWaiters: number) {}

  /** Waiters registered now (for metrics and tests). */
  get size(): number {
    return this.count;
  }

  /**
   * Registers a waiter; returns its idempotent removal. Throws
   * ResourceExhaustedError when `maxWaiters` are waiting already, and
   * UnavailableError once the registry is closed.
   */
  add(waiter: Waiter): () => void {
    if (this.closed) throw new UnavailableError("shutting_down", "the mailbox is shutting down; retry on another replica");
    if (this.count >= this.maxWaiters) {
      throw new ResourceExhaustedError("too_many_waiters", `this mailbox replica already holds ${this.maxWaiters} waiting calls (ORCHESTRATOR_MAILBOX_MAX_WAITERS)`, {
        limit: String(this.maxWaiters),
      });
    }
    let set = this.byHandle.get(waiter.handle);
    if (!set) this.byHandle.set(waiter.handle, (set = new Set()));
    set.add(waiter);
    this.count += 1;
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.count -= 1;
      set.delete(waiter);
      if (set.size === 0 && this.byHandle.get(waiter.handle) === set) this.byHandle.delete(waiter.handle);
    };
  }

  /** Wakes the waiters of `handles` that care about `type`; returns how many. */
  wake(handles: Iterable<string>, type: string): number {
    let woken = 0;
    for (const handle of handles) {
      for (const waiter of [...(this.byHandle.get(handle) ?? [])]) {
        if (waiter.types && !waiter.types.has(type)) continue;
        waiter.wake();
        woken += 1;
      }
    }
    return woken;
  }

  /** Wakes every waiter (after the listener reconnected: notifications may have been missed). */
  wakeAll(): void {
    for (const set of [...this.byHandle.values()]) for (const waiter of [...set]) waiter.wake();
  }

  /** Refuses new waiters and closes every current one with `reason`. */
  close(reason: Error): void {
    this.closed = reason;
    for (const set of [...this.byHandle.values()]) for (const waiter of [...set]) waiter.close(reason);
  }
}
