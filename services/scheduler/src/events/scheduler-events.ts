import type { DatabaseHandle } from "@orchestrator/db";
import type { Logger } from "pino";
import { SCHEDULER_CHANNEL, type SchedulerNotice } from "./scheduler-notice.js";

type Listener = (notice: SchedulerNotice) => void;

/**
 * Fans scheduler notifications out to in-process subscribers: one LISTEN
 * per process, whatever the number of run drivers, watch streams and
 * timers. After the listener reconnects, `onResync` subscribers re-check
 * state, since notifications may have been missed.
 */
export class SchedulerEvents {
  private readonly listeners = new Set<Listener>();
  private readonly resyncListeners = new Set<() => void>();
  private unlisten: (() => Promise<void>) | undefined;
  private stopReconnect: (() => void) | undefined;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.handle.listen(SCHEDULER_CHANNEL, (payload) => this.onPayload(payload));
    this.stopReconnect = this.handle.onReconnect(() => this.resyncListeners.forEach((l) => l()));
  }

  async stop(): Promise<void> {
    this.stopReconnect?.();
    await this.unlisten?.();
    this.unlisten = undefined;
  }

  /** Calls `listener` for every notice until the returned function is called. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` when notifications may have been missed. */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** Delivers a notice to local subscribers without a round trip (for changes this process made). */
  emitLocal(notice: SchedulerNotice): void {
    for (const listener of this.listeners) listener(notice);
  }

  private onPayload(payload: string): void {
    let notice: SchedulerNotice;
    try {
      notice = JSON.parse(payload) as SchedulerNotice;
    } catch (err) {
      this.logger.warn({ err }, "dropping unreadable scheduler notification");
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(notice);
      } catch (err) {
        this.logger.error({ err }, "scheduler notification listener failed");
      }
    }
  }
}
