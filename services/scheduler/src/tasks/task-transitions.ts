import { sql } from "kysely";
import type { Tx } from "../shared/db.js";
import type { FailureReason, TaskStatus } from "./task.js";

/** A task whose status changed, and its run (null outside runs). */
export interface ChangedTask {
  readonly id: string;
  readonly runId: string | null;
}

/** Outcome of completing tasks: which completed (compare-and-set winners) and which dependents became ready. */
export interface Completion {
  readonly completed: ChangedTask[];
  readonly promoted: ChangedTask[];
}

/** Outcome of failing tasks: which failed, and which dependents failed with them. */
export interface Failure {
  readonly failed: ChangedTask[];
  readonly cascaded: ChangedTask[];
}

const inList = (ids: readonly string[]) => sql.join(ids.map((id) => sql`${id}`));
const sortById = <T extends { taskId: string }>(items: readonly T[]) => [...items].sort((a, b) => (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0));

/**
 * Completes tasks that are still in one of `from` (compare-and-set) with
 * their results, then promotes, in the same transaction, every dependent
 * whose dependencies are now all completed. Rows are locked in id order so
 * concurrent completions on other replicas cannot deadlock with this one.
 */
export async function completeTasks(tx: Tx, items: ReadonlyArray<{ taskId: string; result: unknown }>, from: readonly TaskStatus[]): Promise<Completion> {
  if (items.length === 0) return { completed: [], promoted: [] };
  const values = JSON.stringify(sortById(items).map((i) => ({ id: i.taskId, result: i.result ?? null })));
  const { rows } = await sql<{ id: string; run_id: string | null }>`
    update tasks t
    set status = 'completed', result = v.result, finished_at = now(), updated_at = now()
    from jsonb_to_recordset(${values}::jsonb) as v(id text, result jsonb)
    where t.id = v.id and t.status in (${inList(from)})
    returning t.id, t.run_id`.execute(tx);
  const completed = rows.map((r) => ({ id: r.id, runId: r.run_id }));
  return { completed, promoted: await promoteDependents(tx, completed.map((c) => c.id)) };
}

/**
 * Counts the completion of `completedIds` in their dependents' counters and
 * moves every `pending` dependent whose counter reached 0 to `ready`.
 */
export async function promoteDependents(tx: Tx, completedIds: readonly string[]): Promise<ChangedTask[]> {
  if (completedIds.length === 0) return [];
  // One statement: dependents locked in id order (no deadlock with a concurrent completion), then counted down.
  const { rows } = await sql<{ id: string; run_id: string | null; status: TaskStatus }>`
    with d as (select task_id, count(*)::int as n from task_deps where dep_id in (${inList(completedIds)}) group by task_id),
    locked as (select t.id from tasks t join d on d.task_id = t.id order by t.id for update of t)
    update tasks t
    set pending_deps = t.pending_deps - d.n,
        status = case when t.status = 'pending' and t.pending_deps - d.n <= 0 then 'ready' else t.status end,
        updated_at = now()
    from d
    where t.id = d.task_id and t.id in (select id from locked)
    returning t.id, t.run_id, t.status`.execute(tx);
  return rows.filter((r) => r.status === "ready").map((r) => ({ id: r.id, runId: r.run_id }));
}

/**
 * Fails tasks that are still in one of `from` (compare-and-set), then every
 * task depending on them, directly or transitively, that is not final yet
 * (`dependency_failed`, `failed_dependency` = the task whose failure caused
 * it), and cancels the pending gates of all of them: nobody waits forever.
 */
export async function failTasks(
  tx: Tx,
  items: ReadonlyArray<{ taskId: string; error: string; reason: FailureReason }>,
  from: readonly TaskStatus[],
): Promise<Failure> {
  if (items.length === 0) return { failed: [], cascaded: [] };
  const values = JSON.stringify(sortById(items).map((i) => ({ id: i.taskId, error: i.error, reason: i.reason })));
  const { rows } = await sql<{ id: string; run_id: string | null }>`
    update tasks t
    set status = 'failed', error = v.error, failure_reason = v.reason, finished_at = now(), updated_at = now()
    from jsonb_to_recordset(${values}::jsonb) as v(id text, error text, reason text)
    where t.id = v.id and t.status in (${inList(from)})
    returning t.id, t.run_id`.execute(tx);
  const failed = rows.map((r) => ({ id: r.id, runId: r.run_id }));
  const cascaded = await cascadeFailure(tx, failed.map((f) => f.id));
  await cancelPendingGates(tx, [...failed, ...cascaded].map((t) => t.id));
  return { failed, cascaded };
}

async function cascadeFailure(tx: Tx, failedIds: readonly string[]): Promise<ChangedTask[]> {
  if (failedIds.length === 0) return [];
  const { rows } = await sql<{ id: string; run_id: string | null }>`
    with recursive down(id, root) as (
      select d.task_id, d.dep_id from task_deps d where d.dep_id in (${inList(failedIds)})
      union
      select d.task_id, down.root from task_deps d join down on d.dep_id = down.id
    ),
    victims as (
      select distinct on (x.id) x.id, x.root from down x
      join tasks t on t.id = x.id
      where t.status in ('pending', 'blocked', 'ready')
      order by x.id, x.root
    ),
    locked as (select t.id from tasks t join victims v on v.id = t.id order by t.id for update of t)
    update tasks t
    set status = 'failed', failure_reason = 'dependency_failed', failed_dependency = v.root,
        error = 'dependency "' || v.root || '" failed', finished_at = now(), updated_at = now()
    from victims v
    where t.id = v.id and t.id in (select id from locked) and t.status in ('pending', 'blocked', 'ready')
    returning t.id, t.run_id`.execute(tx);
  return rows.map((r) => ({ id: r.id, runId: r.run_id }));
}

/** Cancels the pending gates of tasks that reached a final status some other way. */
export async function cancelPendingGates(tx: Tx, taskIds: readonly string[]): Promise<void> {
  for (let i = 0; i < taskIds.length; i += 5000) {
    await tx
      .updateTable("decision_gates")
      .set({ status: "cancelled", resolved_at: sql<Date>`now()`, resolved_by: "scheduler" })
      .where("task_id", "in", taskIds.slice(i, i + 5000))
      .where("status", "=", "pending")
      .execute();
  }
}

/** Moves dispatched tasks back to `ready` (their dispatch failed or was abandoned); returns those moved. */
export async function readyAgain(tx: Tx, taskIds: readonly string[]): Promise<ChangedTask[]> {
  if (taskIds.length === 0) return [];
  const rows = await tx
    .updateTable("tasks")
    .set({ status: "ready", updated_at: sql<Date>`now()` })
    .where("id", "in", [...taskIds].sort())
    .where("status", "=", "dispatched")
    .returning(["id", "run_id"])
    .execute();
  return rows.map((r) => ({ id: r.id, runId: r.run_id }));
}
