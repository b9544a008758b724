import type { Database } from "@orchestrator/db";
import type { Kysely, Transaction } from "kysely";
import type { HealthStatus, TransitionRecord } from "./instance.js";

type Db = Kysely<Database> | Transaction<Database>;

/** Appends one health transition to the history. */
export async function insertTransition(db: Db, name: string, from: HealthStatus, to: HealthStatus, reason: string): Promise<void> {
  await db.insertInto("health_transitions").values({ name, from_health: from, to_health: to, reason }).execute();
}

/** An instance's transitions, newest first. */
export async function listTransitions(db: Db, name: string, limit: number): Promise<TransitionRecord[]> {
  const rows = await db
    .selectFrom("health_transitions")
    .selectAll()
    .where("name", "=", name)
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    name: r.name,
    from: r.from_health as HealthStatus,
    to: r.to_health as HealthStatus,
    reason: r.reason,
    at: r.at,
  }));
}

/** Drops the history of an instance (on deregistration). */
export async function deleteTransitions(db: Db, name: string): Promise<void> {
  await db.deleteFrom("health_transitions").where("name", "=", name).execute();
}
