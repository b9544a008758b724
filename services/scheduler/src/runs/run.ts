import type { JsonValue } from "@bufbuild/protobuf";
import type { Database, RunStatusName } from "@orchestrator/db";
import type { Selectable } from "kysely";
import type { RunGraph } from "./run-graph.js";

/** A run phase: decomposing, dispatching, monitoring, merging, done, failed or stopped. */
export type RunStatus = RunStatusName;

/** Phases a run is still driven in. */
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = ["decomposing", "dispatching", "monitoring", "merging"];

/** A run's tasks by status. */
export interface TaskCounts {
  pending: number;
  ready: number;
  dispatched: number;
  completed: number;
  failed: number;
  blocked: number;
  total: number;
}

/** An empty TaskCounts. */
export function emptyCounts(): TaskCounts {
  return { pending: 0, ready: 0, dispatched: 0, completed: 0, failed: 0, blocked: 0, total: 0 };
}

/** A coordinator run as stored. */
export interface RunRecord {
  readonly id: string;
  readonly status: RunStatus;
  readonly spec: string;
  readonly specFormat: string;
  readonly graph: RunGraph | null;
  readonly maxConcurrency: number;
  readonly target: string;
  readonly result: JsonValue | undefined;
  readonly error: string | null;
  readonly owner: string | null;
  readonly leaseExpiresAt: Date | null;
  readonly takeovers: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly finishedAt: Date | null;
  /** The run's coordinator handle (StartRun `from`); null when none. */
  readonly coordinator: string | null;
}

/** A run's dispatched task. */
export interface RunningTask {
  readonly taskId: string;
  readonly key: string | null;
  readonly instance: string;
  readonly attempt: number;
  readonly dispatchedAt: Date;
}

/** A row of `runs`. */
export type RunRow = Selectable<Database["runs"]>;

/** Maps a row to a record. */
export function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    status: row.status,
    spec: row.spec,
    specFormat: row.spec_format,
    graph: (row.graph ?? null) as RunGraph | null,
    maxConcurrency: row.max_concurrency,
    target: row.target,
    result: (row.result ?? undefined) as JsonValue | undefined,
    error: row.error,
    owner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    takeovers: row.takeovers,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    coordinator: row.coordinator,
  };
}
