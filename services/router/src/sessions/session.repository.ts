import type { JsonValue } from "@bufbuild/protobuf";
import type { Database } from "@orchestrator/db";
import { sql, type Kysely, type Transaction } from "kysely";
import { entryFromRow, sessionFromRow, type SessionEntryRecord, type SessionRecord } from "./session-record.js";

type Db = Kysely<Database> | Transaction<Database>;

/** What a new session row holds. */
export interface NewSession {
  readonly id: string;
  readonly tokenHash: string;
  readonly instance: string;
  readonly pool: string;
  readonly selectors: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly ttlMs: number;
}

/** `now() + ttl_ms milliseconds`, for expires_at. */
const expiresIn = (ms: number) => sql<Date>`now() + cast(${ms} as double precision) * interval '1 millisecond'`;

/**
 * Inserts a session, replacing a closed or expired one of the same id.
 * Returns undefined when an open session already has the id.
 */
export async function insertSession(tx: Transaction<Database>, s: NewSession): Promise<SessionRecord | undefined> {
  await tx.deleteFrom("sessions").where("id", "=", s.id).where("state", "<>", "open").execute();
  const row = await tx
    .insertInto("sessions")
    .values({
      id: s.id,
      token_hash: s.tokenHash,
      instance: s.instance,
      pool: s.pool,
      selectors: JSON.stringify(s.selectors),
      metadata: JSON.stringify(s.metadata),
      ttl_ms: s.ttlMs,
      expires_at: expiresIn(s.ttlMs),
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && sessionFromRow(row);
}

/** A session by id; undefined when there is none. */
export async function findSession(db: Db, id: string): Promise<SessionRecord | undefined> {
  const row = await db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirst();
  return row && sessionFromRow(row);
}

/** The id of the session whose token hashes to `tokenHash`. */
export async function findSessionIdByToken(db: Db, tokenHash: string): Promise<string | undefined> {
  const row = await db.selectFrom("sessions").select("id").where("token_hash", "=", tokenHash).executeTakeFirst();
  return row?.id;
}

/**
 * Takes the send lease of an open, unexpired session if it is free (or its
 * holder's lease ran out): one compare-and-set, no transaction held.
 */
export async function tryAcquireLease(db: Db, id: string, holder: string, leaseMs: number): Promise<SessionRecord | undefined> {
  const row = await db
    .updateTable("sessions")
    .set({ lease_holder: holder, lease_expires_at: expiresIn(Math.ceil(leaseMs)) })
    .where("id", "=", id)
    .where("state", "=", "open")
    .where("expires_at", ">", sql<Date>`now()`)
    .where((eb) => eb.or([eb("lease_holder", "is", null), eb("lease_expires_at", "<", sql<Date>`now()`)]))
    .returningAll()
    .executeTakeFirst();
  return row && sessionFromRow(row);
}

/** Frees the lease if `holder` still has it. */
export async function releaseLease(db: Db, id: string, holder: string): Promise<void> {
  await db.updateTable("sessions").set({ lease_holder: null, lease_expires_at: null }).where("id", "=", id).where("lease_holder", "=", holder).execute();
}

/** What a delivered send writes. */
export interface CompletedSend {
  readonly id: string;
  readonly holder: string;
  readonly sequence: bigint;
  readonly data: JsonValue;
  readonly result: JsonValue;
  readonly instance: string;
  readonly failedOver: boolean;
}

/**
 * Records a delivered send: the entry, the session's new sequence, instance
 * and expiry, and the lease freed, if `holder` still holds the lease
 * (fencing: a holder whose lease was taken over writes nothing). Returns
 * the updated session, or undefined when the lease was lost.
 */
export async function completeSend(tx: Transaction<Database>, s: CompletedSend): Promise<SessionRecord | undefined> {
  const row = await tx
    .updateTable("sessions")
    .set({
      last_sequence: s.sequence.toString(),
      instance: s.instance,
      failovers: s.failedOver ? sql<number>`failovers + 1` : sql<number>`failovers`,
      last_activity_at: sql<Date>`now()`,
      expires_at: sql<Date>`now() + ttl_ms * interval '1 millisecond'`,
      lease_holder: null,
      lease_expires_at: null,
    })
    .where("id", "=", s.id)
    .where("lease_holder", "=", s.holder)
    .returningAll()
    .executeTakeFirst();
  if (!row) return undefined;
  await tx
    .insertInto("session_entries")
    .values({ session_id: s.id, sequence: s.sequence.toString(), data: JSON.stringify(s.data), result: JSON.stringify(s.result), instance: s.instance })
    .execute();
  return sessionFromRow(row);
}

/** The last `limit` entries of a session, oldest first. */
export async function listEntries(db: Db, id: string, limit: number): Promise<SessionEntryRecord[]> {
  if (limit <= 0) return [];
  const rows = await db.selectFrom("session_entries").selectAll().where("session_id", "=", id).orderBy("sequence", "desc").limit(limit).execute();
  return rows.reverse().map(entryFromRow);
}

/** Marks an open session expired if it is past its expiry and no send holds it. */
export async function expireIfIdle(db: Db, id: string): Promise<void> {
  await db
    .updateTable("sessions")
    .set({ state: "expired", closed_at: sql<Date>`now()` })
    .where("id", "=", id)
    .where("state", "=", "open")
    .where("expires_at", "<=", sql<Date>`now()`)
    .where((eb) => eb.or([eb("lease_holder", "is", null), eb("lease_expires_at", "<", sql<Date>`now()`)]))
    .execute();
}

/** Closes an open session; undefined when it is not open (or does not exist). */
export async function closeSession(db: Db, id: string): Promise<SessionRecord | undefined> {
  const row = await db
    .updateTable("sessions")
    .set({ state: "closed", closed_at: sql<Date>`now()` })
    .where("id", "=", id)
    .where("state", "=", "open")
    .returningAll()
    .executeTakeFirst();
  return row && sessionFromRow(row);
}

/** Filters of listSessions. */
export interface SessionFilter {
  readonly instance?: string;
  readonly pool?: string;
  readonly includeClosed: boolean;
  /** Only ids after this one (keyset pagination). */
  readonly afterId?: string;
  readonly limit: number;
}

/** Sessions by id, at most `limit`. */
export async function listSessions(db: Db, f: SessionFilter): Promise<SessionRecord[]> {
  let query = db.selectFrom("sessions").selectAll().orderBy("id").limit(f.limit);
  if (!f.includeClosed) query = query.where("state", "=", "open");
  if (f.instance) query = query.where("instance", "=", f.instance);
  if (f.pool) query = query.where("pool", "=", f.pool);
  if (f.afterId !== undefined) query = query.where("id", ">", f.afterId);
  return (await query.execute()).map(sessionFromRow);
}

/** Open sessions pinned to each of `instances` (absent names have none). */
export async function countOpenByInstance(db: Db, instances: readonly string[]): Promise<Map<string, number>> {
  if (instances.length === 0) return new Map();
  const rows = await db
    .selectFrom("sessions")
    .select(["instance", (eb) => eb.fn.countAll<string>().as("count")])
    .where("state", "=", "open")
    .where("instance", "in", [...instances])
    .groupBy("instance")
    .execute();
  return new Map(rows.map((r) => [r.instance, Number(r.count)]));
}

/** Expires every open session past its expiry that no send holds; returns how many. */
export async function expireIdleSessions(db: Db): Promise<number> {
  const result = await db
    .updateTable("sessions")
    .set({ state: "expired", closed_at: sql<Date>`now()` })
    .where("state", "=", "open")
    .where("expires_at", "<=", sql<Date>`now()`)
    .where((eb) => eb.or([eb("lease_holder", "is", null), eb("lease_expires_at", "<", sql<Date>`now()`)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes closed and expired sessions (and their entries) finished more than `retentionMs` ago. */
export async function purgeFinishedSessions(db: Db, retentionMs: number): Promise<number> {
  const result = await db
    .deleteFrom("sessions")
    .where("state", "<>", "open")
    .where("closed_at", "<", sql<Date>`now() - cast(${retentionMs} as double precision) * interval '1 millisecond'`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
