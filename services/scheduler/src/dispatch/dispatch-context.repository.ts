import { executePrepared, type DispatchStatusName } from "@orchestrator/db";
import { sql } from "kysely";
import { SCHEDULER_CHANNEL } from "../events/scheduler-notice.js";
import type { Db } from "../shared/db.js";
import type { PreambleDecision } from "./dispatch-preamble.js";
import { FAILURE_STATUSES, toDispatchContext, type DispatchContextRecord, type DispatchKind } from "./dispatch-context.js";

/** A context to insert. */
export interface ContextInsert {
  readonly id: string;
  readonly taskId: string;
  readonly runId: string | null;
  readonly attempt: number;
  readonly target: string;
  readonly instance: string;
  readonly kind: DispatchKind;
  readonly inject: boolean;
  readonly replyTo: string;
  readonly preamble: string;
  readonly owner: string;
  readonly timeoutMs: number;
  readonly traceparent: string | null;
  readonly traceId: string | null;
}

/**
 * Inserts contexts (deadline = now + timeout, measured by the database
 * clock); with `notice`, sends it on the scheduler channel in the same
 * statement (one round trip less on the run driver's hot path). One
 * prepared statement for any number of contexts: they travel as one JSON
 * array, so a run's steps never build, parse or plan a statement per
 * batch size.
 */
export async function insertContexts(db: Db, contexts: readonly ContextInsert[], notice?: string): Promise<void> {
  if (contexts.length === 0) return;
  const rows = JSON.stringify(
    contexts.map((c) => ({
      id: c.id,
      task_id: c.taskId,
      run_id: c.runId,
      attempt: c.attempt,
      target: c.target,
      instance: c.instance,
      kind: c.kind,
      inject: c.inject,
      reply_to: c.replyTo,
      preamble: c.preamble,
      owner: c.owner,
      traceparent: c.traceparent,
      trace_id: c.traceId,
      timeout_s: c.timeoutMs / 1000,
    })),
  );
  const insert = sql`
    insert into dispatch_contexts (id, task_id, run_id, attempt, target, instance, kind, status, inject, reply_to, preamble, owner, traceparent, trace_id, deadline_at)
    select id, task_id, run_id, attempt, target, instance, kind, 'dispatched', inject, reply_to, preamble, owner, traceparent, trace_id, now() + make_interval(secs => timeout_s)
    from jsonb_to_recordset(${rows}::jsonb) as v(id text, task_id text, run_id text, attempt int, target text, instance text, kind text,
      inject boolean, reply_to text, preamble text, owner text, traceparent text, trace_id text, timeout_s double precision)`;
  if (notice === undefined) {
    await executePrepared(db, "insert_contexts", insert);
    return;
  }
  await executePrepared(db, "insert_contexts_notify", sql`with inserted as (${insert} returning id) select pg_notify(${SCHEDULER_CHANNEL}, ${notice}) as notified`);
}

/** Every context of a task, attempt 1 first. */
export async function listContexts(db: Db, taskId: string): Promise<DispatchContextRecord[]> {
  const rows = await db.selectFrom("dispatch_contexts").selectAll().where("task_id", "=", taskId).orderBy("attempt").execute();
  return rows.map(toDispatchContext);
}

/** One context, or undefined. */
export async function findContext(db: Db, id: string): Promise<DispatchContextRecord | undefined> {
  const row = await db.selectFrom("dispatch_contexts").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toDispatchContext(row);
}

/** The live context of a task, or undefined. */
export async function findLiveContext(db: Db, taskId: string): Promise<DispatchContextRecord | undefined> {
  const row = await db.selectFrom("dispatch_contexts").selectAll().where("task_id", "=", taskId).where("status", "=", "dispatched").executeTakeFirst();
  return row && toDispatchContext(row);
}

/** What a new dispatch of each task needs from its earlier ones. */
export interface DispatchHistory {
  /** Instances it failed on, oldest first. */
  readonly tried: string[];
  /** The last context's target, inject flag and reply handle (a retry keeps them). */
  readonly last?: { target: string; inject: boolean; replyTo: string };
}

/** Histories of tasks that were dispatched before (others are absent). */
export async function loadHistories(db: Db, taskIds: readonly string[]): Promise<Map<string, DispatchHistory>> {
  const histories = new Map<string, DispatchHistory>();
  if (taskIds.length === 0) return histories;
  const rows = await db
    .selectFrom("dispatch_contexts")
    .select(["task_id", "instance", "status", "target", "inject", "reply_to"])
    .where("task_id", "in", taskIds)
    .orderBy("task_id")
    .orderBy("attempt")
    .execute();
  for (const row of rows) {
    const h = histories.get(row.task_id) ?? { tried: [] };
    if ((FAILURE_STATUSES as readonly DispatchStatusName[]).includes(row.status)) h.tried.push(row.instance);
    histories.set(row.task_id, { tried: h.tried, last: { target: row.target, inject: row.inject, replyTo: row.reply_to } });
  }
  return histories;
}

/** Decisions (resolved or timed-out gates with a resolution) of each task, oldest first. */
export async function loadDecisions(db: Db, taskIds: readonly string[]): Promise<Map<string, PreambleDecision[]>> {
  const decisions = new Map<string, PreambleDecision[]>();
  if (taskIds.length === 0) return decisions;
  const rows = await db
    .selectFrom("decision_gates")
    .select(["task_id", "question", "resolution", "status"])
    .where("task_id", "in", taskIds)
    .where("status", "in", ["resolved", "timeout"])
    .where("resolution", "is not", null)
    .orderBy("resolved_at")
    .execute();
  for (const row of rows) {
    const list = decisions.get(row.task_id) ?? [];
    list.push({ question: row.question, resolution: row.resolution!, status: row.status as PreambleDecision["status"] });
    decisions.set(row.task_id, list);
  }
  return decisions;
}

/** Records that an agent's dispatch message went out (its deadline then runs from now). */
export async function markSent(db: Db, contextId: string, messageId: string, timeoutMs: number): Promise<boolean> {
  const res = await db
    .updateTable("dispatch_contexts")
    .set({ message_id: messageId, sent_at: sql<Date>`now()`, deadline_at: sql<Date>`now() + make_interval(secs => ${timeoutMs / 1000})` })
    .where("id", "=", contextId)
    .where("status", "=", "dispatched")
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Live dispatches per agent (agents keep working after their message went out). */
export async function liveAgentDispatches(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("dispatch_contexts")
    .select(["instance", (eb) => eb.fn.countAll<string>().as("n")])
    .where("status", "=", "dispatched")
    .where("kind", "=", "agent")
    .groupBy("instance")
    .execute();
  return new Map(rows.map((r) => [r.instance, Number(r.n)]));
}
