import { sql } from "kysely";
import type { Db } from "../messages/message.repository.js";

/**
 * Deletes up to `batch` messages older than `maxAgeMs`; returns how many.
 * Rows another replica is deleting are skipped (SKIP LOCKED), and inserts
 * never wait on these deletes.
 */
export async function deleteExpired(db: Db, maxAgeMs: number, batch: number): Promise<number> {
  const doomed = db
    .selectFrom("messages")
    .select("id")
    .where("created_at", "<", sql<Date>`now() - make_interval(secs => ${maxAgeMs / 1000})`)
    .limit(batch)
    .forUpdate()
    .skipLocked();
  const result = await db.deleteFrom("messages").where("id", "in", doomed).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deletes up to `batch` messages beyond the newest `keep` of their handle;
 * returns how many. A handle's seq is gap-free, so "beyond the newest N" is
 * `seq <= last_seq - N`, found through the unique (to_handle, seq) index.
 * Heads are read without locks, so senders are never blocked.
 */
export async function deleteBeyondCount(db: Db, keep: number, batch: number): Promise<number> {
  const doomed = db
    .selectFrom("messages")
    .innerJoin("mailbox_heads", "mailbox_heads.handle", "messages.to_handle")
    .select("messages.id")
    .where(sql<boolean>`messages.seq <= mailbox_heads.last_seq - ${keep}`)
    .limit(batch)
    .forUpdate("messages")
    .skipLocked();
  const result = await db.deleteFrom("messages").where("id", "in", doomed).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes every message of `handle`, or of every handle when undefined; returns how many. Heads stay. */
export async function purgeMessages(db: Db, handle: string | undefined): Promise<number> {
  let query = db.deleteFrom("messages");
  if (handle !== undefined) query = query.where("to_handle", "=", handle);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
