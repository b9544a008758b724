import type { DatabaseHandle } from "@orchestrator/db";
import type { Logger } from "pino";
import { decodeNotice, MAILBOX_CHANNEL } from "./mailbox-notice.js";
import type { WaiterRegistry } from "./waiter-registry.js";

/**
 * Connects the registry to Postgres: one LISTEN per process (on the
 * database handle's one listening connection, shared with every other
 * channel), each notification waking the waiters of the handles it names.
 * After the listener reconnects every waiter is woken, since notifications
 * sent meanwhile are lost.
 */
export class MailboxEvents {
  private unlisten: (() => Promise<void>) | undefined;
  private stopReconnect: (() => void) | undefined;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly registry: WaiterRegistry,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.database.listen(MAILBOX_CHANNEL, (payload) => this.onNotice(payload));
    this.stopReconnect = this.database.onReconnect(() => {
      this.logger.info({ waiters: this.registry.size }, "mailbox listener reconnected; re-checking every waiter");
      this.registry.wakeAll();
    });
  }

  async stop(): Promise<void> {
    this.stopReconnect?.();
    await this.unlisten?.();
    this.unlisten = undefined;
  }

  private onNotice(payload: string): void {
    const notice = decodeNotice(payload);
    if (!notice) {
      this.logger.warn({ bytes: payload.length }, "dropping unreadable mailbox notification");
      return;
    }
    this.registry.wake(notice.handles, notice.type);
  }
}
