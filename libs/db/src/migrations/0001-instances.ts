import { sql, type Kysely } from "kysely";

/**
 * The instance registry and its health history. Enumerated text columns are
 * guarded by CHECK constraints (cheaper to extend than Postgres enums);
 * `version` is bumped by every update for compare-and-set.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("instances")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("pool", "text", (c) => c.notNull().defaultTo("default"))
    .addColumn("labels", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("health", "text", (c) => c.notNull().defaultTo("unknown"))
    .addColumn("activity", "text", (c) => c.notNull().defaultTo("idle"))
    .addColumn("activity_detail", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("probe_mode", "text", (c) => c.notNull().defaultTo("grpc"))
    .addColumn("allocated_to", "text")
    .addColumn("allocated_at", "timestamptz")
    .addColumn("registered_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_heartbeat_at", "timestamptz")
    .addColumn("health_changed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("version", "bigint", (c) => c.notNull().defaultTo(1))
    .addCheckConstraint("instances_kind_check", sql`kind in ('service', 'agent')`)
    .addCheckConstraint("instances_health_check", sql`health in ('unknown', 'healthy', 'degraded', 'down')`)
    .addCheckConstraint(
      "instances_activity_check",
      sql`activity in ('idle', 'busy', 'waiting', 'running', 'completed', 'error')`,
    )
    .addCheckConstraint("instances_probe_mode_check", sql`probe_mode in ('grpc', 'heartbeat')`)
    .addCheckConstraint("instances_labels_check", sql`jsonb_typeof(labels) = 'object'`)
    .execute();
  await db.schema
    .createIndex("instances_pool_activity_health_idx")
    .on("instances")
    .columns(["pool", "activity", "health"])
    .execute();

  await db.schema
    .createTable("health_transitions")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("from_health", "text", (c) => c.notNull())
    .addColumn("to_health", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("health_transitions_name_at_idx")
    .on("health_transitions")
    .columns(["name", "at desc"])
    .execute();
}

/** Drops both tables (and their indexes). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("health_transitions").execute();
  await db.schema.dropTable("instances").execute();
}
