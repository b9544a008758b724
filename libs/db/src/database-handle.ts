import type { Kysely } from "kysely";
import type { RunStatement } from "./prepared-statement.js";
import type { Database } from "./schema/database.js";

/** An open database: kysely plus LISTEN/NOTIFY, on real Postgres or embedded PGlite. */
export interface DatabaseHandle {
  /** Every query made through it is a `db.query` span. */
  readonly db: Kysely<Database>;
  readonly kind: "postgres" | "pglite";
  /**
   * Runs a PreparedStatement outside any transaction, as one `db.query`
   * span: on real Postgres a named prepared statement on a pooled
   * connection (parsed and planned once per connection), on PGlite a plain
   * statement through kysely. For hot paths; everything else uses `db`.
   */
  readonly run: RunStatement;
  /**
   * Subscribes to a NOTIFY channel (1-63 bytes, case-sensitive); resolves
   * once LISTEN is in effect. Returns an idempotent unsubscribe function.
   * On real Postgres ONE dedicated pg.Client per handle carries every
   * LISTEN, multiplexed (LISTEN once per channel, UNLISTEN when the last
   * callback leaves), reconnecting with backoff after errors and
   * re-LISTENing every channel; while a reconnect is pending, `listen`
   * resolves at once and the subscription starts with the reconnect. On
   * PGlite it uses pglite.listen (never call it inside a transaction there:
   * PGlite has one connection). Callbacks run in the root trace context and
   * must not throw (what they throw goes to `DatabaseConfig.onError`).
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Calls `callback` after the listener reconnected and re-LISTENed, since
   * notifications may have been missed: re-check state then. Never called on
   * PGlite. Returns a function that removes the callback.
   */
  onReconnect(callback: () => void): () => void;
  /** Closes the listener client, then the pool or PGlite. Idempotent. */
  close(): Promise<void>;
}
