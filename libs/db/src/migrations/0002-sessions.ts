import { sql, type Kysely } from "kysely";

/**
 * Router sessions and their history. A session is pinned to an instance;
 * sends to it are serialised by a lease (`lease_holder`, `lease_expires_at`,
 * taken and released by compare-and-set) so no transaction stays open while
 * an instance works. `last_sequence` moves only when an entry is written, in
 * the same transaction, so sequence numbers have no gaps.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("instance", "text", (c) => c.notNull())
    .addColumn("pool", "text", (c) => c.notNull())
    .addColumn("selectors", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("metadata", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("state", "text", (c) => c.notNull().defaultTo("open"))
    .addColumn("last_sequence", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("ttl_ms", "bigint", (c) => c.notNull())
    .addColumn("failovers", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_activity_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("closed_at", "timestamptz")
    .addColumn("lease_holder", "text")
    .addColumn("lease_expires_at", "timestamptz")
    .addCheckConstraint("sessions_state_check", sql`state in ('open', 'closed', 'expired')`)
    .addCheckConstraint("sessions_selectors_check", sql`jsonb_typeof(selectors) = 'array'`)
    .addCheckConstraint("sessions_metadata_check", sql`jsonb_typeof(metadata) = 'object'`)
    .execute();
  await db.schema.createIndex("sessions_state_expires_at_idx").on("sessions").columns(["state", "expires_at"]).execute();
  await db.schema.createIndex("sessions_instance_state_idx").on("sessions").columns(["instance", "state"]).execute();
  await db.schema.createIndex("sessions_created_at_id_idx").on("sessions").columns(["created_at desc", "id desc"]).execute();

  await db.schema
    .createTable("session_entries")
    .addColumn("session_id", "text", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("sequence", "bigint", (c) => c.notNull())
    .addColumn("data", "jsonb", (c) => c.notNull())
    .addColumn("result", "jsonb", (c) => c.notNull())
    .addColumn("instance", "text", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("session_entries_pkey", ["session_id", "sequence"])
    .execute();
}

/** Drops both tables (entries first). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("session_entries").execute();
  await db.schema.dropTable("sessions").execute();
}
