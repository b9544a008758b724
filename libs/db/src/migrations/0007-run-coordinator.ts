import type { Kysely } from "kysely";

/**
 * `runs.coordinator`: the handle that coordinates a run (StartRunRequest
 * `from`, `orchestrator run --from`). The run's dispatch messages name it as
 * their sender, its agents' escalations are copied to it, and its gates
 * notify it. Null for runs without one (and every run started before).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("runs").addColumn("coordinator", "text").execute();
}

/** Drops the column. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("runs").dropColumn("coordinator").execute();
}
