import type { JsonValue } from "@bufbuild/protobuf";
import type { Database } from "@orchestrator/db";
import { sql, type Kysely } from "kysely";
import { closeLiveContexts } from "../dispatch/live-contexts.repository.js";
import { announce } from "../events/scheduler-notice.js";
import type { Tx } from "../shared/db.js";
import { inTransaction } from "../shared/in-transaction.js";
import { planNewTasks } from "./plan-new-tasks.js";
import { InvalidTransitionError, UnknownTaskError } from "./task-errors.js";
import { findTask, findTasks, insertTasks, listTasks, lockTask, lockTasksForShare, type TaskFilter, type TaskInsert } from "./task.repository.js";
import { completeTasks, failTasks, type ChangedTask } from "./task-transitions.js";
import type { NewTask, TaskRecord } from "./task.js";

/** The statuses UpdateTask moves a task to. */
export type ManualStatus = "ready" | "blocked" | "completed" | "failed";

/** What UpdateTask changed. */
export interface TaskUpdate {
  readonly task: TaskRecord;
  /** Dependents promoted to ready (completed) or failed with it (failed). */
  readonly affected: readonly string[];
}

/**
 * Tasks: creation (one or a batch, all or none), reads, and the manual
 * status changes of UpdateTask. Every write is one transaction; runs whose
 * tasks changed are announced at commit.
 */
export class TaskService {
  constructor(private readonly db: Kysely<Database>) {}

  /** Creates one task; errors name the CreateTaskRequest field (`deps[1]`). */
  async create(task: NewTask): Promise<TaskRecord> {
    const [created] = await this.createMany([task], () => "");
    return created!;
  }

  /**
   * Creates tasks in one transaction (see planNewTasks for the checks).
   * Dependencies that exist already are locked FOR SHARE first, so one that
   * completes concurrently is either seen completed here or counts this new
   * edge when it completes: never neither.
   */
  async createMany(tasks: readonly NewTask[], field: (index: number) => string = (i) => `tasks[${i}].`): Promise<TaskRecord[]> {
    return inTransaction(this.db, async (tx) => {
      const planned = await createTasksIn(tx, tasks, field);
      return findTasks(tx, planned.map((t) => t.id));
    });
  }

  async get(id: string): Promise<TaskRecord> {
    const task = await findTask(this.db, id);
    if (!task) throw new UnknownTaskError(id);
    return task;
  }

  async list(filter: TaskFilter): Promise<TaskRecord[]> {
    return listTasks(this.db, filter);
  }

  /**
   * Moves a task by hand (UpdateTask), checked against its current status:
   * `completed` from ready or dispatched (dependents promoted); `failed`
   * from any status that is not final (dependents failed with it);
   * `blocked` from pending, ready or dispatched (held until set `ready`);
   * `ready` from blocked (no pending gate, every dependency completed) or
   * from dispatched (taken back to dispatch again). A live dispatch context
   * is closed with the same status (`cancelled` for blocked and ready), and
   * its in-flight call, if any, is cancelled. Anything else is
   * FAILED_PRECONDITION `invalid_transition`.
   */
  async update(id: string, status: ManualStatus, result: JsonValue | undefined, error: string): Promise<TaskUpdate> {
    const affected = await inTransaction(this.db, async (tx) => {
      const row = await lockTask(tx, id);
      if (!row) throw new UnknownTaskError(id);
      let changed: ChangedTask[] = [];
      let closed: string[] = [];
      if (status === "completed") {
        if (row.status !== "ready" && row.status !== "dispatched") {
          throw new InvalidTransitionError(id, row.status, status, "only ready or dispatched tasks can be completed");
        }
        closed = await closeLiveContexts(tx, [id], "completed", { result: result ?? null });
        const done = await completeTasks(tx, [{ taskId: id, result: result ?? null }], [row.status]);
        changed = done.promoted;
      } else if (status === "failed") {
        if (row.status === "completed" || row.status === "failed") {
          throw new InvalidTransitionError(id, row.status, status, "completed and failed are final");
        }
        const why = error || "failed by hand";
        closed = await closeLiveContexts(tx, [id], "failed", { error: why });
        const failure = await failTasks(tx, [{ taskId: id, error: why, reason: "manual" }], [row.status]);
        changed = failure.cascaded;
      } else if (status === "blocked") {
        if (row.status !== "pending" && row.status !== "ready" && row.status !== "dispatched") {
          throw new InvalidTransitionError(id, row.status, status, "only pending, ready or dispatched tasks can be blocked");
        }
        closed = await closeLiveContexts(tx, [id], "cancelled", { error: "blocked by hand" });
        await setStatus(tx, id, "blocked");
      } else {
        if (row.status === "blocked") {
          const gates = await pendingGates(tx, id);
          if (gates.length > 0) {
            throw new InvalidTransitionError(id, row.status, status, `gate ${gates.join(", ")} is pending: resolve it (orchestrator gate resolve --id ${gates[0]} --resolution ...)`);
          }
          if (row.pending_deps > 0) throw new InvalidTransitionError(id, row.status, status, `${row.pending_deps} of its dependencies are not completed yet`);
        } else if (row.status !== "dispatched") {
          throw new InvalidTransitionError(id, row.status, status, "only blocked or dispatched tasks can be made ready (pending tasks become ready when their dependencies complete)");
        }
        closed = await closeLiveContexts(tx, [id], "cancelled", { error: "made ready again by hand" });
        await setStatus(tx, id, "ready");
      }
      await announce(tx, { k: "closed", ids: closed });
      await announceRuns(tx, [{ id, runId: row.run_id }, ...changed]);
      return changed.map((c) => c.id);
    });
    return { task: await this.get(id), affected };
  }
}

/** createMany inside a caller's transaction (a run's decomposition creates its tasks with its phase change). */
export async function createTasksIn(tx: Tx, tasks: readonly NewTask[], field: (index: number) => string): Promise<TaskInsert[]> {
  const referenced = tasks.flatMap((t) => [...t.deps, ...(t.parentId ? [t.parentId] : []), ...(t.id ? [t.id] : [])]);
  const existing = await lockTasksForShare(tx, referenced);
  const planned = planNewTasks(tasks, existing, field);
  await insertTasks(tx, planned);
  await announceRuns(
    tx,
    planned.map((t) => ({ id: t.id, runId: t.runId })),
  );
  return planned;
}

async function setStatus(tx: Tx, id: string, status: "ready" | "blocked"): Promise<void> {
  await tx.updateTable("tasks").set({ status, updated_at: sql<Date>`now()` }).where("id", "=", id).execute();
}

async function pendingGates(tx: Tx, taskId: string): Promise<string[]> {
  const rows = await tx.selectFrom("decision_gates").select("id").where("task_id", "=", taskId).where("status", "=", "pending").orderBy("id").execute();
  return rows.map((r) => r.id);
}

/** The runs that `changed` tasks belong to, once each, less `except` (a driver's own run). */
export function changedRuns(changed: readonly ChangedTask[], except?: string): string[] {
  return [...new Set(changed.flatMap((c) => (c.runId && c.runId !== except ? [c.runId] : [])))];
}

/** Announces the runs (if any) that `changed` tasks belong to; `by`: the run driver making the change. */
export async function announceRuns(tx: Tx, changed: readonly ChangedTask[], by?: string): Promise<void> {
  const runs = changedRuns(changed);
  if (runs.length > 0) await announce(tx, { k: "runs", ids: runs, ...(by ? { by } : {}) });
}
