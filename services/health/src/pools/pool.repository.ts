import type { Database } from "@orchestrator/db";
import { sql, type Kysely, type Transaction } from "kysely";
import type { InstanceRecord } from "../instances/instance.js";
import { FREE_ACTIVITY_NAMES, instanceFromRow } from "../instances/instance.repository.js";

type Db = Kysely<Database> | Transaction<Database>;

/** First key of the pools' advisory locks (the second is the pool name's hash), apart from other users of advisory locks. */
const POOL_LOCK_CLASS = 720_501;

/** What a reservation row says while its instance is prepared. */
export const PROVISIONING_DETAIL = "provisioning";
/** The holder an instance is retired under while its process stops (idle shutdown). */
export const RETIRING_HOLDER = "pool:idle-shutdown";

/**
 * Serialises growing and shrinking one pool across replicas until `tx`
 * ends (a transaction-scoped advisory lock): counting members and inserting
 * a reservation, or retiring one, happen as one step.
 */
export async function lockPool(tx: Transaction<Database>, pool: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${POOL_LOCK_CLASS}::int4, hashtext(${pool}))`.execute(tx);
}

/** Every instance of `pool` (reservations included), by name. */
export async function listPoolMembers(db: Db, pool: string): Promise<InstanceRecord[]> {
  const rows = await db.selectFrom("instances").selectAll().where("pool", "=", pool).orderBy("name").execute();
  return rows.map(instanceFromRow);
}

/** The highest N of instances named `<pool>-N`, in any pool; 0 when there is none. */
export async function highestOrdinal(db: Db, pool: string): Promise<number> {
  const prefix = `${pool}-`;
  const rows = await db
    .selectFrom("instances")
    .select("name")
    .where(sql<boolean>`left(name, ${prefix.length}) = ${prefix}`)
    .execute();
  let highest = 0;
  for (const { name } of rows) {
    const rest = name.slice(prefix.length);
    if (/^\d{1,9}$/.test(rest)) highest = Math.max(highest, Number(rest));
  }
  return highest;
}

/** A name a provisioner reserves: an agent row, `busy` (provisioning), heartbeat-probed, held for `holder` when given. */
export interface NewReservation {
  readonly name: string;
  readonly pool: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly holder: string | null;
}

/** Inserts a reservation; undefined when the name is taken. */
export async function insertReservation(db: Db, r: NewReservation): Promise<InstanceRecord | undefined> {
  const row = await db
    .insertInto("instances")
    .values({
      name: r.name,
      address: "",
      kind: "agent",
      pool: r.pool,
      labels: JSON.stringify(r.labels),
      probe_mode: "heartbeat",
      activity: "busy",
      activity_detail: PROVISIONING_DETAIL,
      provisioning: true,
      allocated_to: r.holder,
      allocated_at: r.holder ? sql`now()` : null,
    })
    .onConflict((oc) => oc.column("name").doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && instanceFromRow(row);
}

/** Deletes instance `name` (a failed provision's reservation or registration). */
export async function deleteInstanceRow(db: Db, name: string): Promise<InstanceRecord | undefined> {
  const row = await db.deleteFrom("instances").where("name", "=", name).returningAll().executeTakeFirst();
  return row && instanceFromRow(row);
}

/** Deletes reservations of `pool` older than `olderThanMs` (their provisioner died), except `keep`. */
export async function deleteStaleReservations(db: Db, pool: string, olderThanMs: number, keep: readonly string[]): Promise<InstanceRecord[]> {
  let q = db
    .deleteFrom("instances")
    .where("pool", "=", pool)
    .where("provisioning", "=", true)
    .where("registered_at", "<", sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`);
  if (keep.length > 0) q = q.where("name", "not in", keep);
  const rows = await q.returningAll().execute();
  return rows.map(instanceFromRow);
}

/**
 * Takes an instance out of allocation to retire it, if it is still free (idle, completed or error),
 * unallocated and registered, and has been idle for `idleMs` (by the
 * database clock): compare-and-set, so an allocation racing it wins.
 */
export async function claimForRetirement(db: Db, name: string, idleMs: number): Promise<InstanceRecord | undefined> {
  const row = await db
    .updateTable("instances")
    .set({
      activity: "busy",
      activity_detail: "stopping (idle shutdown)",
      activity_changed_at: sql`now()`,
      allocated_to: RETIRING_HOLDER,
      allocated_at: sql`now()`,
      version: sql`version + 1`,
    })
    .where("name", "=", name)
    .where("activity", "in", FREE_ACTIVITY_NAMES)
    .where("allocated_to", "is", null)
    .where("provisioning", "=", false)
    .where("activity_changed_at", "<=", sql<Date>`now() - make_interval(secs => ${idleMs / 1000})`)
    .returningAll()
    .executeTakeFirst();
  return row && instanceFromRow(row);
}
