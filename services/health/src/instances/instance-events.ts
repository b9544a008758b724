import { notify, type Database, type DatabaseHandle } from "@orchestrator/db";
import type { Transaction } from "kysely";
import type { Logger } from "pino";
import type { InstanceRecord } from "./instance.js";
import { findInstance } from "./instance.repository.js";

/** The NOTIFY channel every instance write announces itself on. */
export const INSTANCE_CHANNEL = "orchestrator_instances";

/** What changed: the instance now, or its last state when it was removed. */
export interface InstanceEvent {
  readonly instance: InstanceRecord;
  readonly removed: boolean;
}

/** Payload of a notification: the name, and the last record when removed. */
export interface InstanceNotice {
  readonly name: string;
  readonly removed?: InstanceRecord;
}

/**
 * Announces an instance change on INSTANCE_CHANNEL, sent at the commit of
 * `tx` (dropped on rollback). Every instance write calls it.
 */
export async function announceInstanceChange(tx: Transaction<Database>, notice: InstanceNotice): Promise<void> {
  await notify(tx, INSTANCE_CHANNEL, JSON.stringify(notice));
}

/**
 * Fans committed instance changes out to in-process subscribers. One LISTEN
 * per process (not per subscriber): a change committed on any replica is
 * loaded once here and handed to every WatchHealth stream and the prober.
 * After the listener reconnects, `onResync` subscribers are told to reload,
 * since notifications may have been missed.
 */
export class InstanceEvents {
  private readonly listeners = new Set<(event: InstanceEvent) => void>();
  private readonly resyncListeners = new Set<() => void>();
  private unlisten: (() => Promise<void>) | undefined;
  private stopReconnect: (() => void) | undefined;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.handle.listen(INSTANCE_CHANNEL, (payload) => {
      this.onNotice(payload).catch((err: unknown) => this.logger.error({ err }, "instance notice failed"));
    });
    this.stopReconnect = this.handle.onReconnect(() => this.resyncListeners.forEach((l) => l()));
  }

  async stop(): Promise<void> {
    this.stopReconnect?.();
    await this.unlisten?.();
    this.unlisten = undefined;
  }

  /** Calls `listener` for every change until the returned function is called. */
  subscribe(listener: (event: InstanceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` when notifications may have been missed. */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  private async onNotice(payload: string): Promise<void> {
    try {
      const notice = JSON.parse(payload) as InstanceNotice;
      if (notice.removed) {
        this.emit({ instance: reviveDates(notice.removed), removed: true });
        return;
      }
      const instance = await findInstance(this.handle.db, notice.name);
      if (instance) this.emit({ instance, removed: false });
    } catch (err) {
      this.logger.warn({ err }, "dropping unreadable instance notification");
    }
  }

  private emit(event: InstanceEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function reviveDates(r: InstanceRecord): InstanceRecord {
  const d = (v: Date | string | null) => (v === null ? null : new Date(v));
  return {
    ...r,
    registeredAt: new Date(r.registeredAt),
    healthChangedAt: new Date(r.healthChangedAt),
    activityChangedAt: new Date(r.activityChangedAt),
    lastHeartbeatAt: d(r.lastHeartbeatAt),
    allocatedAt: d(r.allocatedAt),
  };
}
