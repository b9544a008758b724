import { sql } from "kysely";
import type { Db } from "../shared/db.js";
import { jsonText } from "../shared/db.js";
import { toTaskRecord, type TaskRecord, type TaskRow, type TaskStatus } from "./task.js";

/** Rows inserted per statement (each row binds 14 parameters; Postgres allows 65535). */
const INSERT_CHUNK = 1000;

/** A task ready to insert: id chosen, initial status and counter computed. */
export interface TaskInsert {
  readonly id: string;
  readonly runId: string | null;
  readonly key: string | null;
  readonly parentId: string | null;
  readonly spec: string;
  readonly payload: unknown;
  readonly target: string | null;
  readonly status: TaskStatus;
  readonly priority: number;
  readonly maxAttempts: number;
  readonly timeoutMs: number | null;
  readonly pendingDeps: number;
  readonly error: string | null;
  readonly failureReason: string | null;
  readonly failedDependency: string | null;
  readonly deps: readonly string[];
}

/** Inserts tasks and their dependency edges, in chunks. */
export async function insertTasks(db: Db, tasks: readonly TaskInsert[]): Promise<void> {
  for (let i = 0; i < tasks.length; i += INSERT_CHUNK) {
    const chunk = tasks.slice(i, i + INSERT_CHUNK);
    await db
      .insertInto("tasks")
      .values(
        chunk.map((t) => ({
          id: t.id,
          run_id: t.runId,
          key: t.key,
          parent_id: t.parentId,
          spec: t.spec,
          payload: jsonText(t.payload),
          target: t.target,
          status: t.status,
          priority: t.priority,
          max_attempts: t.maxAttempts,
          timeout_ms: t.timeoutMs,
          pending_deps: t.pendingDeps,
          error: t.error,
          failure_reason: t.failureReason,
          failed_dependency: t.failedDependency,
          finished_at: t.status === "failed" ? sql<Date>`now()` : null,
        })),
      )
      .execute();
  }
  const edges = tasks.flatMap((t) => t.deps.map((dep) => ({ task_id: t.id, dep_id: dep })));
  for (let i = 0; i < edges.length; i += INSERT_CHUNK * 5) {
    await db.insertInto("task_deps").values(edges.slice(i, i + INSERT_CHUNK * 5)).execute();
  }
}

/** Dependency ids of each task, in dependency-id order. */
export async function loadDeps(db: Db, taskIds: readonly string[]): Promise<Map<string, string[]>> {
  const deps = new Map<string, string[]>(taskIds.map((id) => [id, []]));
  for (let i = 0; i < taskIds.length; i += INSERT_CHUNK * 10) {
    const rows = await db
      .selectFrom("task_deps")
      .select(["task_id", "dep_id"])
      .where("task_id", "in", taskIds.slice(i, i + INSERT_CHUNK * 10))
      .orderBy("dep_id")
      .execute();
    for (const row of rows) deps.get(row.task_id)!.push(row.dep_id);
  }
  return deps;
}

/** Rows to records, with their dependencies loaded in one query. */
export async function withDeps(db: Db, rows: readonly TaskRow[]): Promise<TaskRecord[]> {
  if (rows.length === 0) return [];
  const deps = await loadDeps(db, rows.map((r) => r.id));
  return rows.map((row) => toTaskRecord(row, deps.get(row.id) ?? []));
}

/** One task, or undefined. */
export async function findTask(db: Db, id: string): Promise<TaskRecord | undefined> {
  const row = await db.selectFrom("tasks").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? (await withDeps(db, [row]))[0] : undefined;
}

/** Several tasks by id, in the order given (missing ones left out). */
export async function findTasks(db: Db, ids: readonly string[]): Promise<TaskRecord[]> {
  if (ids.length === 0) return [];
  const rows: TaskRow[] = [];
  for (let i = 0; i < ids.length; i += INSERT_CHUNK * 10) {
    rows.push(...(await db.selectFrom("tasks").selectAll().where("id", "in", ids.slice(i, i + INSERT_CHUNK * 10)).execute()));
  }
  const byId = new Map((await withDeps(db, rows)).map((t) => [t.id, t]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The status (and a few fields) of existing tasks among `ids`, locked FOR SHARE in id order so they cannot change until commit. */
export async function lockTasksForShare(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, { status: TaskStatus; failedDependency: string | null; runId: string | null }>> {
  const found = new Map<string, { status: TaskStatus; failedDependency: string | null; runId: string | null }>();
  const sorted = [...new Set(ids)].sort();
  for (let i = 0; i < sorted.length; i += INSERT_CHUNK * 10) {
    const rows = await db
      .selectFrom("tasks")
      .select(["id", "status", "failed_dependency", "run_id"])
      .where("id", "in", sorted.slice(i, i + INSERT_CHUNK * 10))
      .orderBy("id")
      .forShare()
      .execute();
    for (const r of rows) found.set(r.id, { status: r.status, failedDependency: r.failed_dependency, runId: r.run_id });
  }
  return found;
}

/** Filters of listTasks. */
export interface TaskFilter {
  readonly status?: TaskStatus;
  readonly runId?: string;
  readonly parentId?: string;
  /** Only tasks created after this `seq`. */
  readonly afterSeq?: string;
  readonly limit: number;
}

/** Tasks in creation order, filtered. */
export async function listTasks(db: Db, filter: TaskFilter): Promise<TaskRecord[]> {
  let q = db.selectFrom("tasks").selectAll();
  if (filter.status) q = q.where("status", "=", filter.status);
  if (filter.runId) q = q.where("run_id", "=", filter.runId);
  if (filter.parentId) q = q.where("parent_id", "=", filter.parentId);
  if (filter.afterSeq) q = q.where("seq", ">", filter.afterSeq);
  const rows = await q.orderBy("seq").limit(filter.limit).execute();
  return withDeps(db, rows);
}

/** Locks one task row FOR UPDATE and returns it, or undefined. */
export async function lockTask(db: Db, id: string): Promise<TaskRow | undefined> {
  return db.selectFrom("tasks").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
}

/**
 * Refreshes the planner's statistics of the tasks tables, as Postgres
 * advises after a bulk load: a run's graph can add more tasks at once than
 * the table held, and on the statistics from before, the claim reads a
 * run's every ready task and sorts them (7,864 of them for 64 claimed,
 * measured) instead of walking the ready index in order. Not in a
 * transaction: it takes no lock that ordinary reads and writes wait for.
 */
export async function analyzeTasks(db: Db): Promise<void> {
  await sql`analyze tasks, task_deps`.execute(db);
}
