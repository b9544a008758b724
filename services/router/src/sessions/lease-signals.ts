import type { DatabaseHandle } from "@orchestrator/db";
import type { Logger } from "pino";

/** The NOTIFY channel a released session lease is announced on (payload: the session id). */
export const SESSION_CHANNEL = "orchestrator_sessions";

/** A registered wait for one session's lease to be released. */
export interface LeaseWait {
  /** Resolves on a release of the session, after `ms`, or when `signal` aborts, whichever is first. */
  wait(ms: number, signal: AbortSignal): Promise<void>;
  /** Unregisters (call when the wait is not needed). */
  cancel(): void;
}

/**
 * Wakes local waiters when any replica releases a session's lease: one
 * LISTEN per process, fanned out by session id. Register the wait before
 * trying the lease, so a release between the failed try and the wait is not
 * missed. After a listener reconnect every waiter is woken to re-check.
 */
export class LeaseSignals {
  private readonly waiters = new Map<string, Set<() => void>>();
  private unlisten: (() => Promise<void>) | undefined;
  private stopReconnect: (() => void) | undefined;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.database.listen(SESSION_CHANNEL, (id) => this.wake(id));
    this.stopReconnect = this.database.onReconnect(() => {
      this.logger.debug("session listener reconnected; re-checking leases");
      for (const id of [...this.waiters.keys()]) this.wake(id);
    });
  }

  async stop(): Promise<void> {
    this.stopReconnect?.();
    await this.unlisten?.();
    this.unlisten = undefined;
  }

  prepare(id: string): LeaseWait {
    let fired = false;
    let wake: () => void = () => (fired = true);
    const entry = () => wake();
    let set = this.waiters.get(id);
    if (!set) this.waiters.set(id, (set = new Set()));
    set.add(entry);
    const cancel = () => {
      const current = this.waiters.get(id);
      current?.delete(entry);
      if (current?.size === 0) this.waiters.delete(id);
    };
    return {
      cancel,
      wait: (ms, signal) =>
        new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener("abort", done);
            cancel();
            resolve();
          };
          const timer = setTimeout(done, ms);
          signal.addEventListener("abort", done, { once: true });
          if (fired || signal.aborted) done();
          else wake = done;
        }),
    };
  }

  private wake(id: string): void {
    const set = this.waiters.get(id);
    if (!set) return;
    for (const entry of [...set]) entry();
  }
}
