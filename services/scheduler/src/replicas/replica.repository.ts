import { sql } from "kysely";
import type { Db } from "../shared/db.js";

const until = (ms: number) => sql<Date>`now() + make_interval(secs => ${ms / 1000})`;

/** Registers (or revives) a replica, alive for `leaseMs`. */
export async function upsertReplica(db: Db, id: string, leaseMs: number): Promise<void> {
  await db
    .insertInto("scheduler_replicas")
    .values({ id, expires_at: until(leaseMs) })
    .onConflict((oc) => oc.column("id").doUpdateSet({ expires_at: until(leaseMs) }))
    .execute();
}

/**
 * Extends a replica's lease if it has not expired. False means the replica
 * was presumed dead meanwhile (others may have abandoned its dispatches):
 * it must abort what it has in flight before it goes on.
 */
export async function renewReplica(db: Db, id: string, leaseMs: number): Promise<boolean> {
  const res = await db
    .updateTable("scheduler_replicas")
    .set({ expires_at: until(leaseMs) })
    .where("id", "=", id)
    .where("expires_at", ">", sql<Date>`now()`)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Removes a replica (clean shutdown) and the rows of replicas long dead. */
export async function deleteReplica(db: Db, id: string): Promise<void> {
  await db.deleteFrom("scheduler_replicas").where("id", "=", id).execute();
}

/** Forgets replicas dead for over an hour (their contexts were swept long ago). */
export async function pruneReplicas(db: Db): Promise<void> {
  await db.deleteFrom("scheduler_replicas").where("expires_at", "<", sql<Date>`now() - interval '1 hour'`).execute();
}
