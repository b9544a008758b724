import { sql, type Kysely } from "kysely";

/**
 * Pools defined at run time and the activity history:
 *
 * - `pool_templates`: pool templates applied with ApplyPools (`orchestrator
 *   pools apply -f pools.yaml`), one row per pool, the resolved template as
 *   JSON. Every replica reads them; a row wins over the boot file's
 *   template of the same name.
 * - `activity_transitions`: every change of an instance's activity (the
 *   worker status protocol: waiting, running, completed, error, ...),
 *   newest first by `(name, at desc)`; like `health_transitions`, no
 *   foreign key, so it outlives a deregistered instance until purged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("pool_templates")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("template", "jsonb", (c) => c.notNull())
    .addColumn("applied_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("pool_templates_template_check", sql`jsonb_typeof(template) = 'object'`)
    .execute();
  await db.schema
    .createTable("activity_transitions")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("from_activity", "text", (c) => c.notNull())
    .addColumn("to_activity", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("activity_transitions_name_at_idx").on("activity_transitions").columns(["name", "at desc"]).execute();
}

/** Drops both tables. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("activity_transitions").execute();
  await db.schema.dropTable("pool_templates").execute();
}
