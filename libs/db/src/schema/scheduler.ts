import type { ColumnType, Generated } from "kysely";
import type { Int8, Int8WithDefault, Nullable, NullableTimestamp, TimestampWithDefault } from "./column-types.js";

/** A nullable jsonb column: reads parsed JSON (or null), writes JSON text. */
type NullableJson = ColumnType<unknown, string | null | undefined, string | null>;

/** `runs.status`: the phase of a coordinator run. */
export type RunStatusName = "decomposing" | "dispatching" | "monitoring" | "merging" | "done" | "failed" | "stopped";
/** `tasks.status`. */
export type TaskStatusName = "pending" | "ready" | "dispatched" | "completed" | "failed" | "blocked";
/** `dispatch_contexts.status`. */
export type DispatchStatusName =
  | "dispatched"
  | "completed"
  | "failed"
  | "timed_out"
  | "circuit_broken"
  | "gated"
  | "escalated"
  | "abandoned"
  | "cancelled";
/** `decision_gates.status`. */
export type GateStatusName = "pending" | "resolved" | "timeout" | "cancelled";

/** Table `runs` (migration 0004): one coordinator run and its lease. */
export interface RunsTable {
  id: string;
  status: RunStatusName;
  spec: string;
  spec_format: string;
  /** The parsed task graph (null while a free-text spec awaits decomposition). */
  graph: NullableJson;
  max_concurrency: number;
  target: string;
  result: NullableJson;
  error: Nullable<string>;
  lease_owner: Nullable<string>;
  lease_expires_at: NullableTimestamp;
  takeovers: Generated<number>;
  created_at: TimestampWithDefault;
  updated_at: TimestampWithDefault;
  finished_at: NullableTimestamp;
  /** The run's coordinator handle (migration 0007); null when none. */
  coordinator: Nullable<string>;
}

/** Table `tasks` (migration 0004): one DAG node; `pending_deps` counts dependencies not completed. */
export interface TasksTable {
  id: string;
  /** Creation order (identity), read as a decimal string. */
  seq: Int8WithDefault;
  run_id: Nullable<string>;
  key: Nullable<string>;
  parent_id: Nullable<string>;
  spec: string;
  payload: NullableJson;
  target: Nullable<string>;
  status: TaskStatusName;
  priority: Generated<number>;
  max_attempts: Generated<number>;
  timeout_ms: Nullable<number>;
  pending_deps: Generated<number>;
  attempts: Generated<number>;
  result: NullableJson;
  error: Nullable<string>;
  failure_reason: Nullable<string>;
  failed_dependency: Nullable<string>;
  created_at: TimestampWithDefault;
  updated_at: TimestampWithDefault;
  finished_at: NullableTimestamp;
}

/** Table `task_deps` (migration 0004): `task_id` depends on `dep_id`. */
export interface TaskDepsTable {
  task_id: string;
  dep_id: string;
}

/** Table `dispatch_contexts` (migration 0004): one dispatch attempt of a task. */
export interface DispatchContextsTable {
  id: string;
  task_id: string;
  run_id: Nullable<string>;
  attempt: number;
  target: string;
  instance: string;
  kind: "service" | "agent";
  status: DispatchStatusName;
  consecutive_failures: Generated<number>;
  inject: Generated<boolean>;
  reply_to: string;
  preamble: string;
  owner: string;
  message_id: Nullable<string>;
  trace_id: Nullable<string>;
  /** W3C traceparent of the dispatch span: reports of the dispatch (worker_done, escalation) continue its trace. */
  traceparent: Nullable<string>;
  result: NullableJson;
  error: Nullable<string>;
  dispatched_at: TimestampWithDefault;
  deadline_at: ColumnType<Date, Date | string, Date | string>;
  sent_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

/** Table `decision_gates` (migration 0004). `options` is a JSON array of strings. */
export interface DecisionGatesTable {
  id: string;
  task_id: string;
  question: string;
  options: ColumnType<string[], string | undefined, string>;
  default_option: Nullable<string>;
  deadline_at: NullableTimestamp;
  status: GateStatusName;
  resolution: Nullable<string>;
  resolved_by: Nullable<string>;
  notify_handle: string;
  message_id: Nullable<string>;
  source: Generated<string>;
  created_at: TimestampWithDefault;
  resolved_at: NullableTimestamp;
}

/** Table `scheduler_replicas` (migration 0004): a live scheduler process and its lease. */
export interface SchedulerReplicasTable {
  id: string;
  started_at: TimestampWithDefault;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

/** Table `scheduler_cursors` (migration 0004): last processed mailbox seq per handle. */
export interface SchedulerCursorsTable {
  handle: string;
  last_seq: Int8;
}
