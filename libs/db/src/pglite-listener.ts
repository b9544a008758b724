import type { PGlite } from "@electric-sql/pglite";
import { context, ROOT_CONTEXT } from "@opentelemetry/api";
import type { Kysely } from "kysely";
import { quoteChannel } from "./channel-name.js";
import type { BackgroundErrorHandler, NotificationListener } from "./notification-listener.js";

/**
 * LISTEN on embedded PGlite through `pglite.listen` (which already
 * multiplexes callbacks per channel). Each LISTEN/UNLISTEN waits for
 * kysely's single PGlite connection, so it never lands inside another
 * caller's open transaction; calling `listen` from inside a transaction on
 * the same handle would therefore deadlock. PGlite runs in-process and
 * never reconnects: `onReconnect` callbacks are kept but never called.
 */
export class PgliteListener implements NotificationListener {
  #closed = false;

  constructor(
    private readonly pglite: PGlite,
    private readonly db: Kysely<any>,
    private readonly onError: BackgroundErrorHandler,
  ) {}

  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    const quoted = quoteChannel(channel);
    if (this.#closed) throw new Error("database handle is closed");
    const callback = (payload: string) => {
      try {
        context.with(ROOT_CONTEXT, () => onPayload(payload));
      } catch (error) {
        this.onError(error);
      }
    };
    const unlisten = await this.db.connection().execute(() => this.pglite.listen(quoted, callback));
    let unsubscribed: Promise<void> | undefined;
    return () =>
      (unsubscribed ??= this.#closed ? Promise.resolve() : this.db.connection().execute(() => unlisten()));
  }

  onReconnect(_callback: () => void): () => void {
    return () => {};
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
