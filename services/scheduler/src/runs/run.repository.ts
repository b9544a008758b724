import { sql } from "kysely";
import type { Db } from "../shared/db.js";
import { jsonText } from "../shared/db.js";
import type { RunGraph } from "./run-graph.js";
import { ACTIVE_RUN_STATUSES, emptyCounts, toRunRecord, type RunningTask, type RunRecord, type RunRow, type RunStatus, type TaskCounts } from "./run.js";

/** A run to insert: owned (leased) by the replica that accepted it. */
export interface RunInsert {
  readonly id: string;
  readonly spec: string;
  readonly specFormat: string;
  readonly graph: RunGraph | null;
  readonly maxConcurrency: number;
  readonly target: string;
  /** The coordinator's handle, or null. */
  readonly coordinator: string | null;
  readonly owner: string;
  readonly leaseMs: number;
}

const leaseUntil = (ms: number) => sql<Date>`now() + make_interval(secs => ${ms / 1000})`;

/** Inserts a run in `decomposing`, leased to its owner. */
export async function insertRun(db: Db, run: RunInsert): Promise<RunRecord> {
  const row = await db
    .insertInto("runs")
    .values({
      id: run.id,
      status: "decomposing",
      spec: run.spec,
      spec_format: run.specFormat,
      graph: jsonText(run.graph),
      max_concurrency: run.maxConcurrency,
      target: run.target,
      coordinator: run.coordinator,
      lease_owner: run.owner,
      lease_expires_at: leaseUntil(run.leaseMs),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRunRecord(row);
}

/** Columns of a run summary: everything but the spec, its graph and the result (large for big runs). */
const SUMMARY = [
  "id",
  "status",
  "spec_format",
  "max_concurrency",
  "target",
  "error",
  "lease_owner",
  "lease_expires_at",
  "takeovers",
  "created_at",
  "updated_at",
  "finished_at",
  "coordinator",
] as const;

/** One run, or undefined; `full` includes its spec and result (otherwise empty), never the parsed graph. */
export async function findRun(db: Db, id: string, full = true): Promise<RunRecord | undefined> {
  const row = await db
    .selectFrom("runs")
    .select([...SUMMARY, ...(full ? (["spec", "result"] as const) : [])])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) return undefined;
  const r: Partial<RunRow> = row;
  return toRunRecord({ ...row, spec: r.spec ?? "", result: r.result ?? null, graph: null });
}

/** Runs newest first, as summaries (ListRuns). */
export async function listRuns(db: Db, filter: { status?: RunStatus | "active"; limit: number }): Promise<RunRecord[]> {
  let q = db.selectFrom("runs").select([...SUMMARY]);
  if (filter.status === "active") q = q.where("status", "in", ACTIVE_RUN_STATUSES);
  else if (filter.status) q = q.where("status", "=", filter.status);
  const rows = await q.orderBy("created_at", "desc").orderBy("id", "desc").limit(filter.limit).execute();
  return rows.map((r) => toRunRecord({ ...r, spec: "", result: null, graph: null }));
}

/** Task counts of each run. */
export async function countRunTasks(db: Db, runIds: readonly string[]): Promise<Map<string, TaskCounts>> {
  const counts = new Map<string, TaskCounts>(runIds.map((id) => [id, emptyCounts()]));
  if (runIds.length === 0) return counts;
  const rows = await db
    .selectFrom("tasks")
    .select(["run_id", "status", (eb) => eb.fn.countAll<string>().as("n")])
    .where("run_id", "in", runIds)
    .groupBy(["run_id", "status"])
    .execute();
  for (const row of rows) {
    const c = counts.get(row.run_id!)!;
    c[row.status] = Number(row.n);
    c.total += Number(row.n);
  }
  return counts;
}

/** The statement of openWork (its plan is tested). */
export const openWorkQuery = (runId: string) => sql<{ waiting: boolean; inflight: boolean }>`
  select
    exists(select 1 from tasks where run_id = ${runId} and status in ('pending', 'ready', 'blocked')) as waiting,
    exists(select 1 from tasks where run_id = ${runId} and status = 'dispatched') as inflight`;

/** Whether a run has tasks still to dispatch (`waiting`: pending, ready or blocked) and tasks under way (`inflight`). */
export async function openWork(db: Db, runId: string): Promise<{ waiting: boolean; inflight: boolean }> {
  const { rows } = await openWorkQuery(runId).execute(db);
  return rows[0]!;
}

/** A run's dispatched tasks with their live contexts, oldest dispatch first. */
export async function runningTasks(db: Db, runId: string, limit = 1000): Promise<RunningTask[]> {
  const rows = await db
    .selectFrom("dispatch_contexts as c")
    .innerJoin("tasks as t", "t.id", "c.task_id")
    .select(["c.task_id", "t.key", "c.instance", "c.attempt", "c.dispatched_at"])
    .where("c.run_id", "=", runId)
    .where("c.status", "=", "dispatched")
    .orderBy("c.dispatched_at")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ taskId: r.task_id, key: r.key, instance: r.instance, attempt: r.attempt, dispatchedAt: r.dispatched_at }));
}

/** Compare-and-set of a run's phase, only while `owner` holds it (when given); returns the updated run. */
export async function setRunStatus(
  db: Db,
  id: string,
  from: readonly RunStatus[],
  to: RunStatus,
  extra: { owner?: string; graph?: RunGraph; result?: unknown; error?: string | null } = {},
): Promise<RunRecord | undefined> {
  let q = db
    .updateTable("runs")
    .set({
      status: to,
      updated_at: sql<Date>`now()`,
      ...(extra.graph ? { graph: JSON.stringify(extra.graph) } : {}),
      ...(extra.result !== undefined ? { result: jsonText(extra.result) } : {}),
      ...(extra.error !== undefined ? { error: extra.error } : {}),
      ...(ACTIVE_RUN_STATUSES.includes(to) ? {} : { finished_at: sql<Date>`now()`, lease_expires_at: null }),
    })
    .where("id", "=", id)
    .where("status", "in", from);
  if (extra.owner) q = q.where("lease_owner", "=", extra.owner);
  const row = await q.returningAll().executeTakeFirst();
  return row && toRunRecord(row);
}

/** Renews the leases `owner` still holds (not expired); returns the run ids renewed. */
export async function renewRunLeases(db: Db, owner: string, leaseMs: number): Promise<string[]> {
  const rows = await db
    .updateTable("runs")
    .set({ lease_expires_at: leaseUntil(leaseMs) })
    .where("lease_owner", "=", owner)
    .where("status", "in", ACTIVE_RUN_STATUSES)
    .where("lease_expires_at", ">", sql<Date>`now()`)
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Takes over active runs whose lease expired (their driver died, or left):
 * `FOR UPDATE SKIP LOCKED`, so concurrent replicas take different runs,
 * and a lease is only ever taken once expired. Returns the run ids taken.
 */
export async function takeExpiredRuns(db: Db, owner: string, leaseMs: number, limit: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    update runs r
    set lease_owner = ${owner},
        lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}),
        takeovers = r.takeovers + case when r.lease_owner is null or r.lease_owner = ${owner} then 0 else 1 end,
        updated_at = now()
    where r.id in (
      select id from runs
      where status in ('decomposing', 'dispatching', 'monitoring', 'merging')
        and (lease_expires_at is null or lease_expires_at < now())
      order by created_at
      limit ${limit}
      for update skip locked
    )
    returning r.id`.execute(db);
  return rows.map((r) => r.id);
}

/** The earliest lease expiry among active runs others hold. */
export async function nextForeignLeaseExpiry(db: Db, owner: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom("runs")
    .select((eb) => eb.fn.min("lease_expires_at").as("next"))
    .where("status", "in", ACTIVE_RUN_STATUSES)
    .where("lease_owner", "<>", owner)
    .executeTakeFirst();
  return row?.next ? new Date(row.next as unknown as string) : undefined;
}

/** Gives up `owner`'s leases at once (a clean shutdown), so another replica takes the runs over without waiting. */
export async function releaseRunLeases(db: Db, owner: string): Promise<number> {
  const res = await db
    .updateTable("runs")
    .set({ lease_expires_at: sql<Date>`now() - interval '1 millisecond'` })
    .where("lease_owner", "=", owner)
    .where("status", "in", ACTIVE_RUN_STATUSES)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** A run's coordinator handle; undefined when it has none (or there is no such run). */
export async function runCoordinator(db: Db, runId: string): Promise<string | undefined> {
  const row = await db.selectFrom("runs").select("coordinator").where("id", "=", runId).executeTakeFirst();
  return row?.coordinator || undefined;
}
