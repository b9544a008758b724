import type { RoutableInstance } from "./routable-instance.js";

/** Called with the instance before and after a change (undefined when absent). */
export type InstanceChangeListener = (before: RoutableInstance | undefined, after: RoutableInstance | undefined) => void;

/** Natural order, so `resolveSelectors` answers A, B, ..., kite-2 before kite-10. */
const byName = (a: RoutableInstance, b: RoutableInstance) => a.name.localeCompare(b.name, "en", { numeric: true });

/**
 * The router's in-memory table of instances, fed by the health service's
 * WatchHealth stream (see HealthFeed). Reads are synchronous and cheap: the
 * list is rebuilt once per change, not per call. Until the first snapshot
 * has arrived, callers wait for it (bounded) through `whenReady`.
 */
export class InstanceView {
  private readonly byName = new Map<string, RoutableInstance>();
  private readonly listeners = new Set<InstanceChangeListener>();
  private sorted: readonly RoutableInstance[] | undefined;
  private synced = false;
  /** A bounded wait already ran out: later callers go on at once instead of each waiting again. */
  private gaveUp = false;
  private readonly syncWaiters = new Set<() => void>();

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
    for (const listener of this.listeners) listener(before, instance);
  }

  /** Forgets an instance (deregistered). */
  remove(name: string): void {
    const before = this.byName.get(name);
    if (!before) return;
    this.byName.delete(name);
    this.sorted = undefined;
    for (const listener of this.listeners) listener(before, undefined);
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
}
