import type { DatabaseHandle } from "@orchestrator/db";
import type { Logger } from "pino";
import { decodeNotice, MAILBOX_CHANNEL } from "./mailbox-notice.js";
import type { WaiterRegistry } from "./waiter-registry.js";

/**
 * Connects the registry to Postgres: one LISTEN per replica (on the
 * database handle's one listening connection, shared with every other
 * channel), each notification waking the waiters of the handles it names
 * that care about the type. Notifications of this replica's own commits
 * (`origin`) are skipped: their waiters were woken in process when the
 * commit returned, and a second wake would cost each a second query.
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
    /** This replica's origin id, as its sends write it into their notices. */
    private readonly origin: string,
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
    if (notice.origin === this.origin) return;
    for (const group of notice.groups) this.registry.wake(group.handles, group.type);
  }
}
