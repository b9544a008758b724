import type { GateStatusName } from "@orchestrator/db";
import { sql } from "kysely";
import type { Db } from "../shared/db.js";
import { toGateRecord, type GateRecord } from "./gate.js";

/** A gate to insert. */
export interface GateInsert {
  readonly id: string;
  readonly taskId: string;
  readonly question: string;
  readonly options: readonly string[];
  readonly defaultOption: string | null;
  readonly deadline: Date | undefined;
  readonly timeoutMs: number | undefined;
  readonly notify: string;
  readonly source: string;
}

/** Inserts a pending gate; returns undefined when its id exists already. */
export async function insertGate(db: Db, gate: GateInsert): Promise<GateRecord | undefined> {
  const deadline =
    gate.timeoutMs !== undefined ? sql<Date>`now() + make_interval(secs => ${gate.timeoutMs / 1000})` : gate.deadline ? gate.deadline.toISOString() : null;
  const row = await db
    .insertInto("decision_gates")
    .values({
      id: gate.id,
      task_id: gate.taskId,
      question: gate.question,
      options: JSON.stringify(gate.options),
      default_option: gate.defaultOption,
      deadline_at: deadline,
      status: "pending",
      notify_handle: gate.notify,
      source: gate.source,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && toGateRecord(row);
}

/** One gate, or undefined. */
export async function findGate(db: Db, id: string): Promise<GateRecord | undefined> {
  const row = await db.selectFrom("decision_gates").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toGateRecord(row);
}

/** Locks a gate row FOR UPDATE. */
export async function lockGate(db: Db, id: string): Promise<GateRecord | undefined> {
  const row = await db.selectFrom("decision_gates").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  return row && toGateRecord(row);
}

/** Gates newest first, by task and status. */
export async function listGates(db: Db, filter: { taskId?: string; status?: GateStatusName; limit: number }): Promise<GateRecord[]> {
  let q = db.selectFrom("decision_gates").selectAll();
  if (filter.taskId) q = q.where("task_id", "=", filter.taskId);
  if (filter.status) q = q.where("status", "=", filter.status);
  const rows = await q.orderBy("created_at", "desc").orderBy("id", "desc").limit(filter.limit).execute();
  return rows.map(toGateRecord);
}

/** Compare-and-set `pending` → `resolved`. */
export async function resolvePendingGate(db: Db, id: string, resolution: string, by: string): Promise<GateRecord | undefined> {
  const row = await db
    .updateTable("decision_gates")
    .set({ status: "resolved", resolution, resolved_by: by, resolved_at: sql<Date>`now()` })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .returningAll()
    .executeTakeFirst();
  return row && toGateRecord(row);
}

/** Times out (compare-and-set) up to `limit` pending gates whose deadline passed, applying their defaults as resolutions. */
export async function timeOutDueGates(db: Db, limit: number): Promise<GateRecord[]> {
  const rows = await db
    .updateTable("decision_gates")
    .set({ status: "timeout", resolution: sql<string | null>`default_option`, resolved_by: "timeout", resolved_at: sql<Date>`now()` })
    .where(
      "id",
      "in",
      db
        .selectFrom("decision_gates")
        .select("id")
        .where("status", "=", "pending")
        .where("deadline_at", "<=", sql<Date>`now()`)
        .orderBy("deadline_at")
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .where("status", "=", "pending")
    .returningAll()
    .execute();
  return rows.map(toGateRecord);
}

/** The earliest deadline of a pending gate, if any. */
export async function nextGateDeadline(db: Db): Promise<Date | undefined> {
  const row = await db
    .selectFrom("decision_gates")
    .select((eb) => eb.fn.min("deadline_at").as("next"))
    .where("status", "=", "pending")
    .where("deadline_at", "is not", null)
    .executeTakeFirst();
  return row?.next ? new Date(row.next as unknown as string) : undefined;
}

/** Records the `decision_gate` message sent for a gate. */
export async function setGateMessage(db: Db, id: string, messageId: string): Promise<void> {
  await db.updateTable("decision_gates").set({ message_id: messageId }).where("id", "=", id).execute();
}

/**
 * Unblocks a blocked task when it has no pending gate left: `ready` when
 * every dependency is completed, `pending` otherwise. Returns its new status
 * and run, or undefined when it stays as it is.
 */
export async function unblockTask(db: Db, taskId: string): Promise<{ status: string; runId: string | null } | undefined> {
  const row = await db
    .updateTable("tasks")
    .set({ status: sql`case when pending_deps <= 0 then 'ready' else 'pending' end`, updated_at: sql<Date>`now()` })
    .where("id", "=", taskId)
    .where("status", "=", "blocked")
    .where((eb) => eb.not(eb.exists(eb.selectFrom("decision_gates").select("id").where("task_id", "=", taskId).where("status", "=", "pending"))))
    .returning(["status", "run_id"])
    .executeTakeFirst();
  return row && { status: row.status, runId: row.run_id };
}
