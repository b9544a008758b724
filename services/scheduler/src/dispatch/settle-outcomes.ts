import { executePrepared } from "@orchestrator/db";
import { sql } from "kysely";
import type { Tx } from "../shared/db.js";
import { announceRuns } from "../tasks/task.service.js";
import { failTasks, readyAgain, type ChangedTask } from "../tasks/task-transitions.js";
import { FAILURE_STATUSES } from "./dispatch-context.js";
import type { Outcome } from "./outcome.js";

/** What settling outcomes changed. */
export interface Settlement {
  /** Tasks completed. */
  readonly completed: ChangedTask[];
  /** Dependents that became ready. */
  readonly promoted: ChangedTask[];
  /** Tasks back to ready after a failed or abandoned dispatch: to dispatch again. */
  readonly retry: ChangedTask[];
  /** Tasks failed (circuit broken) and their dependents. */
  readonly failed: ChangedTask[];
  /** Contexts this settlement closed (dispatches no longer in flight). */
  closed: number;
}

/**
 * Records outcomes in the caller's transaction, each a compare-and-set on
 * its context (`dispatched` → final), so an outcome reported twice (two
 * replicas, a late answer after a timeout) counts once:
 *
 * - completed: the task completes with the result and its dependents are
 *   promoted;
 * - failed / timed_out: the failure is counted; at the task's
 *   `max_attempts` consecutive failures the context is `circuit_broken` and
 *   the task fails (dependents with it), else the task is ready again;
 * - abandoned: the task is ready again; nothing is counted.
 *
 * Runs whose tasks changed are announced at commit (`by`: the run driver
 * settling, which needs no wake-up for its own changes).
 */
export async function settleOutcomes(tx: Tx, outcomes: readonly Outcome[], by?: string, announceChanges = true): Promise<Settlement> {
  const completedOutcomes = outcomes.filter((o) => o.kind === "completed");
  const settlement: Settlement = { completed: [], promoted: [], retry: [], failed: [], closed: 0 };
  if (completedOutcomes.length > 0) {
    // One statement: close the contexts (compare-and-set), then complete the tasks of those that closed.
    const values = JSON.stringify(
      [...completedOutcomes]
        .sort((a, b) => (a.taskId < b.taskId ? -1 : 1))
        .map((o) => ({ id: o.contextId, task: o.taskId, result: o.result ?? null, trace: o.traceId ?? null, served: o.servedBy ?? null })),
    );
    // One statement (one round trip on the hot path): close the contexts (compare-and-set), complete the
    // tasks of those that closed, and count their completion down in their dependents, promoting those at 0.
    // The dependents are locked in id order, so concurrent completions cannot deadlock.
    // Contexts are looked up by primary key (`id = any(...)`), and `(select 'dispatched')` hides the constant from
    // the planner: with the literal it may scan a partial index on live contexts, which holds an entry for every
    // context dispatched since the last vacuum (10,000 entries to find 33 rows, measured in the middle of a
    // 10,000-task run), or the whole table when its statistics are older than the run. Tasks too are found by
    // primary key: `(t.status = 'dispatched') is true` is a filter, never an index condition, since with statistics
    // taken when no task was dispatched the planner walked the (status, seq) index (10,000 buffers, 3.4 ms for 36).
    const rows = await executePrepared(
      tx,
      "settle_completed",
      sql<{ kind: "completed" | "promoted"; id: string; run_id: string | null }>`
      with v as (select * from jsonb_to_recordset(${values}::jsonb) as v(id text, task text, result jsonb, trace text, served text)),
      closed as (
        update dispatch_contexts c
        set status = 'completed', result = v.result, trace_id = coalesce(c.trace_id, v.trace), instance = coalesce(v.served, c.instance), finished_at = now()
        from v where c.id = any(array(select id from v)) and c.id = v.id and c.status = (select 'dispatched')
        returning c.id, c.task_id
      ),
      done as (
        update tasks t
        set status = 'completed', result = v.result, finished_at = now(), updated_at = now()
        from v join closed on closed.id = v.id
        where t.id = closed.task_id and (t.status = 'dispatched') is true
        returning t.id, t.run_id
      ),
      d as (select task_id, count(*)::int as n from task_deps where dep_id in (select id from done) group by task_id),
      locked as (select t.id from tasks t join d on d.task_id = t.id order by t.id for update of t),
      promoted as (
        update tasks t
        set pending_deps = t.pending_deps - d.n,
            status = case when t.status = 'pending' and t.pending_deps - d.n <= 0 then 'ready' else t.status end,
            updated_at = now()
        from d
        where t.id = d.task_id and t.id in (select id from locked)
        returning t.id, t.run_id, t.status
      )
      select 'completed' as kind, id, run_id from done
      union all
      select 'promoted' as kind, id, run_id from promoted where status = 'ready'`,
    );
    for (const r of rows) (r.kind === "completed" ? settlement.completed : settlement.promoted).push({ id: r.id, runId: r.run_id });
    settlement.closed += settlement.completed.length;
  }
  for (const outcome of outcomes) {
    if (outcome.kind !== "completed") await settleFailure(tx, outcome, settlement);
  }
  if (announceChanges) await announceRuns(tx, changedTasks(settlement), by);
  return settlement;
}

async function settleFailure(tx: Tx, outcome: Exclude<Outcome, { kind: "completed" }>, settlement: Settlement): Promise<void> {
  if (outcome.kind === "abandoned") {
    const closed = await closeContext(tx, outcome.contextId, "abandoned", 0, outcome.error, undefined);
    if (closed) {
      settlement.closed++;
      settlement.retry.push(...(await readyAgain(tx, [outcome.taskId])));
    }
    return;
  }
  const prev = await tx
    .selectFrom("dispatch_contexts")
    .select(["status", "consecutive_failures"])
    .where("task_id", "=", outcome.taskId)
    .where("id", "<>", outcome.contextId)
    .where("status", "not in", ["abandoned", "cancelled", "dispatched"])
    .orderBy("attempt", "desc")
    .limit(1)
    .executeTakeFirst();
  const task = await tx.selectFrom("tasks").select(["max_attempts"]).where("id", "=", outcome.taskId).executeTakeFirst();
  if (!task) return;
  const consecutive = (prev && FAILURE_STATUSES.includes(prev.status) ? prev.consecutive_failures : 0) + 1;
  const broken = consecutive >= task.max_attempts;
  const closed = await closeContext(tx, outcome.contextId, broken ? "circuit_broken" : outcome.kind, consecutive, outcome.error, outcome.traceId);
  if (!closed) return;
  settlement.closed++;
  if (!broken) {
    settlement.retry.push(...(await readyAgain(tx, [outcome.taskId])));
    return;
  }
  const why = `circuit broken after ${consecutive} consecutive failed dispatches; last: ${outcome.error}`;
  const failure = await failTasks(tx, [{ taskId: outcome.taskId, error: why, reason: "circuit_broken" }], ["dispatched"]);
  settlement.failed.push(...failure.failed, ...failure.cascaded);
}

async function closeContext(
  tx: Tx,
  contextId: string,
  status: "failed" | "timed_out" | "circuit_broken" | "abandoned",
  consecutive: number,
  error: string,
  traceId: string | undefined,
): Promise<boolean> {
  const res = await tx
    .updateTable("dispatch_contexts")
    .set({ status, consecutive_failures: consecutive, error, finished_at: sql<Date>`now()`, ...(traceId ? { trace_id: traceId } : {}) })
    .where("id", "=", contextId)
    .where("status", "=", "dispatched")
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Every task a settlement changed (for announcing their runs). */
export function changedTasks(settlement: Settlement): ChangedTask[] {
  return [...settlement.completed, ...settlement.promoted, ...settlement.retry, ...settlement.failed];
}
