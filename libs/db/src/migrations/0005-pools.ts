import { sql, type Kysely } from "kysely";

/**
 * Pools and provisioning on the instance registry:
 *
 * - `provisioning`: the row is a name reserved by a pool's provisioner (the
 *   agent is being prepared and has not registered yet). Reserved rows count
 *   against the pool's maximum, keep the holder the instance is provisioned
 *   for, and are left alone by the heartbeat sweeper; registering over one
 *   clears the flag and keeps the holder.
 * - `activity_changed_at`: when the activity last changed, so idle agents
 *   can be stopped after a pool's idle shutdown.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("instances")
    .addColumn("provisioning", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema
    .alterTable("instances")
    .addColumn("activity_changed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

/** Drops both columns. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("instances").dropColumn("activity_changed_at").execute();
  await db.schema.alterTable("instances").dropColumn("provisioning").execute();
}
