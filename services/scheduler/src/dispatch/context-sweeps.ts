import { sql } from "kysely";
import type { Db } from "../shared/db.js";
import type { Outcome } from "./outcome.js";

const BATCH = 200;

/**
 * Live contexts whose replica is gone (its lease expired, or it shut down)
 * while it held the call: service dispatches (the Route call died with it)
 * and agent dispatches whose message it never confirmed sent. Outcome
 * `abandoned`: the task is ready again, nothing is held against the
 * instance. Agent dispatches already delivered keep going: their answers
 * reach any replica through the mailbox.
 */
export async function findOrphanedContexts(db: Db): Promise<Outcome[]> {
  const rows = await db
    .selectFrom("dispatch_contexts as c")
    .select(["c.id", "c.task_id", "c.owner"])
    .where("c.status", "=", "dispatched")
    .where((eb) => eb.or([eb("c.kind", "=", "service"), eb("c.sent_at", "is", null)]))
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom("scheduler_replicas as r").select("r.id").whereRef("r.id", "=", "c.owner").where("r.expires_at", ">", sql<Date>`now()`))),
    )
    .limit(BATCH)
    .execute();
  return rows.map((r) => ({ kind: "abandoned" as const, contextId: r.id, taskId: r.task_id, error: `scheduler replica ${r.owner} driving this dispatch is gone` }));
}

/**
 * Live contexts past their deadline: `timed_out` (counted by the circuit
 * breaker); an agent dispatch that was never sent is `abandoned` instead.
 */
export async function findOverdueContexts(db: Db): Promise<Outcome[]> {
  const rows = await db
    .selectFrom("dispatch_contexts")
    .select(["id", "task_id", "kind", "sent_at", "instance"])
    .where("status", "=", "dispatched")
    .where("deadline_at", "<", sql<Date>`now()`)
    .limit(BATCH)
    .execute();
  return rows.map((r) =>
    r.kind === "agent" && r.sent_at === null
      ? { kind: "abandoned" as const, contextId: r.id, taskId: r.task_id, error: "the dispatch message was never confirmed sent" }
      : { kind: "timed_out" as const, contextId: r.id, taskId: r.task_id, error: `no answer from ${r.instance} before the deadline` },
  );
}

/** Live agent contexts on an instance that went down (missed heartbeats): `timed_out`. */
export async function findContextsOnDownInstance(db: Db, instance: string): Promise<Outcome[]> {
  const rows = await db
    .selectFrom("dispatch_contexts")
    .select(["id", "task_id"])
    .where("status", "=", "dispatched")
    .where("instance", "=", instance)
    .where("kind", "=", "agent")
    .execute();
  return rows.map((r) => ({ kind: "timed_out" as const, contextId: r.id, taskId: r.task_id, error: `${instance} went down (missed heartbeats)` }));
}

/** The earliest deadline of a live context. */
export async function nextContextDeadline(db: Db): Promise<Date | undefined> {
  const row = await db
    .selectFrom("dispatch_contexts")
    .select((eb) => eb.fn.min("deadline_at").as("next"))
    .where("status", "=", "dispatched")
    .executeTakeFirst();
  return row?.next ? new Date(row.next as unknown as string) : undefined;
}

/**
 * This replica's own live calls (service dispatches, unsent agent
 * dispatches), after it aborted them because it found itself presumed dead:
 * `abandoned`, so their tasks are dispatched again.
 */
export async function findOwnAbortedContexts(db: Db, owner: string): Promise<Outcome[]> {
  const rows = await db
    .selectFrom("dispatch_contexts")
    .select(["id", "task_id"])
    .where("status", "=", "dispatched")
    .where("owner", "=", owner)
    .where((eb) => eb.or([eb("kind", "=", "service"), eb("sent_at", "is", null)]))
    .execute();
  return rows.map((r) => ({ kind: "abandoned" as const, contextId: r.id, taskId: r.task_id, error: "the scheduler replica driving this dispatch lost its lease and aborted it" }));
}
