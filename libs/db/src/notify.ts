import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "./schema/database.js";

/**
 * `pg_notify(channel, payload)` on the caller's connection: inside a
 * transaction the notification is sent at commit and dropped on rollback,
 * so listeners never hear of uncommitted state; on a plain `Kysely` it is
 * sent at once. Payloads must stay under 8000 bytes (a Postgres limit):
 * send ids and let listeners load the rest.
 */
export async function notify(db: Kysely<Database> | Transaction<Database>, channel: string, payload: string): Promise<void> {
  await sql`select pg_notify(${channel}, ${payload})`.execute(db);
}
