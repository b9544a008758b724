import type { RoutableInstance } from "./routable-instance.js";

/** Called with the instance before and after a change (undefined when absent). */
export type InstanceChangeListener = (before: RoutableInstance | undefined, after: RoutableInstance | undefined) => void;

/** Options of InstanceView. */
export interface InstanceViewOptions {
  /**
   * Told of an error a change listener threw; the other listeners still run
   * and the change still applies. @default errors are dropped
   */
  readonly onListenerError?: (error: unknown) => void;
}

/** Natural order, so `resolveSelectors` answers A, B, ..., kite-2 before kite-10. */
const byName = (a: RoutableInstance, b: RoutableInstance) => a.name.localeCompare(b.name, "en", { numeric: true });

/**
 * The in-memory table of instances that routing reads (the router, the
 * scheduler, the proxyless client), fed by the health service's WatchHealth
 * stream (see HealthFeed). Reads are synchronous and cheap: the list is
 * rebuilt once per change, not per call. Until the first snapshot has
 * arrived, callers wait for it (bounded) through `whenReady`. Listeners
 * hear of every change (health, activity, registrations) in order.
 */
export class InstanceView {
  private readonly byName = new Map<string, RoutableInstance>();
  private readonly listeners = new Set<InstanceChangeListener>();
  private sorted: readonly RoutableInstance[] | undefined;
  private synced = false;
  /** A bounded wait already ran out: later callers go on at once instead of each waiting again. */
  private gaveUp = false;
  private readonly syncWaiters = new Set<() => void>();

  constructor(private readonly options: InstanceViewOptions = {}) {}

  /** Every known instance, in natural name order. */
  list(): readonly RoutableInstance[] {
    return (this.sorted ??= [...this.byName.values()].sort(byName));
  }

  get(name: string): RoutableInstance | undefined {
    return this.byName.get(name);
  }

  /** Whether the first full snapshot has been applied. */
  get ready(): boolean {
    return this.synced;
  }

  /** Adds or replaces an instance. */
  upsert(instance: RoutableInstance): void {
    const before = this.byName.get(instance.name);
    this.byName.set(instance.name, instance);
    this.sorted = undefined;
    this.tell(before, instance);
  }

  /** Forgets an instance (deregistered). */
  remove(name: string): void {
    const before = this.byName.get(name);
    if (!before) return;
    this.byName.delete(name);
    this.sorted = undefined;
    this.tell(before, undefined);
  }

  /**
   * Marks the view complete after a (re)connected snapshot: instances not in
   * `present` vanished while the feed was away and are forgotten.
   */
  markSynced(present: ReadonlySet<string>): void {
    for (const name of [...this.byName.keys()]) if (!present.has(name)) this.remove(name);
    this.synced = true;
    for (const wake of this.syncWaiters) wake();
    this.syncWaiters.clear();
  }

  /**
   * Resolves once the first snapshot is in, or after `timeoutMs` (the view is
   * then used as it is: a call fails with a clear selector error rather than
   * hanging on an unreachable health service). Once a wait has run out,
   * later calls no longer wait (undefined) until the snapshot arrives.
   */
  whenReady(timeoutMs: number): Promise<void> | undefined {
    if (this.synced || this.gaveUp) return undefined;
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.syncWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.gaveUp = true;
        done();
      }, timeoutMs);
      this.syncWaiters.add(done);
    });
  }

  /** Calls `listener` on every change until the returned function is called. */
  onChange(listener: InstanceChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private tell(before: RoutableInstance | undefined, after: RoutableInstance | undefined): void {
    for (const listener of this.listeners) {
      try {
        listener(before, after);
      } catch (error) {
        this.options.onListenerError?.(error);
      }
    }
  }
}
