import type { JsonValue } from "@bufbuild/protobuf";
import type { Database, TaskStatusName } from "@orchestrator/db";
import type { Selectable } from "kysely";

/** A task status: pending, ready, dispatched, completed, failed or blocked. */
export type TaskStatus = TaskStatusName;

/** Statuses a task never leaves. */
export const FINAL_TASK_STATUSES: readonly TaskStatus[] = ["completed", "failed"];

/** Why a task failed. */
export type FailureReason = "circuit_broken" | "dependency_failed" | "gate_timeout" | "run_stopped" | "manual";

/** A task as stored, with its dependency ids. */
export interface TaskRecord {
  readonly id: string;
  /** Creation order. */
  readonly seq: string;
  readonly runId: string | null;
  readonly key: string | null;
  readonly parentId: string | null;
  readonly spec: string;
  readonly payload: JsonValue | undefined;
  readonly target: string | null;
  readonly status: TaskStatus;
  readonly priority: number;
  readonly maxAttempts: number;
  readonly timeoutMs: number | null;
  readonly pendingDeps: number;
  readonly attempts: number;
  readonly result: JsonValue | undefined;
  readonly error: string | null;
  readonly failureReason: string | null;
  readonly failedDependency: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly finishedAt: Date | null;
  readonly deps: readonly string[];
}

/** A row of `tasks`. */
export type TaskRow = Selectable<Database["tasks"]>;

/** What creating a task takes (CreateTask, a run's graph). */
export interface NewTask {
  /** Generated when absent. */
  readonly id?: string;
  readonly spec: string;
  readonly deps: readonly string[];
  readonly parentId?: string;
  readonly payload?: JsonValue;
  readonly target?: string;
  /** @default 3 */
  readonly maxAttempts?: number;
  /** @default 0 */
  readonly priority?: number;
  readonly timeoutMs?: number;
  readonly runId?: string;
  readonly key?: string;
}

/** Maps a row and its dependency ids to a TaskRecord. */
export function toTaskRecord(row: TaskRow, deps: readonly string[]): TaskRecord {
  return {
    id: row.id,
    seq: String(row.seq),
    runId: row.run_id,
    key: row.key,
    parentId: row.parent_id,
    spec: row.spec,
    payload: (row.payload ?? undefined) as JsonValue | undefined,
    target: row.target,
    status: row.status,
    priority: row.priority,
    maxAttempts: row.max_attempts,
    timeoutMs: row.timeout_ms,
    pendingDeps: row.pending_deps,
    attempts: row.attempts,
    result: (row.result ?? undefined) as JsonValue | undefined,
    error: row.error,
    failureReason: row.failure_reason,
    failedDependency: row.failed_dependency,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    deps,
  };
}
