import type { JsonValue } from "@bufbuild/protobuf";
import type { Database, DispatchStatusName } from "@orchestrator/db";
import type { Selectable } from "kysely";

/** How work reaches the instance: Route (`service`) or a mailbox message (`agent`). */
export type DispatchKind = "service" | "agent";

/** Context statuses that count as failures of the instance for the circuit breaker. */
export const FAILURE_STATUSES: readonly DispatchStatusName[] = ["failed", "timed_out", "circuit_broken"];

/** One dispatch of a task. */
export interface DispatchContextRecord {
  readonly id: string;
  readonly taskId: string;
  readonly runId: string | null;
  readonly attempt: number;
  readonly target: string;
  readonly instance: string;
  readonly kind: DispatchKind;
  readonly status: DispatchStatusName;
  readonly consecutiveFailures: number;
  readonly inject: boolean;
  readonly replyTo: string;
  readonly preamble: string;
  readonly owner: string;
  readonly messageId: string | null;
  readonly traceId: string | null;
  readonly result: JsonValue | undefined;
  readonly error: string | null;
  readonly dispatchedAt: Date;
  readonly deadlineAt: Date;
  readonly sentAt: Date | null;
  readonly finishedAt: Date | null;
}

/** A row of `dispatch_contexts`. */
export type DispatchContextRow = Selectable<Database["dispatch_contexts"]>;

/** Maps a row to a record. */
export function toDispatchContext(row: DispatchContextRow): DispatchContextRecord {
  return {
    id: row.id,
    taskId: row.task_id,
    runId: row.run_id,
    attempt: row.attempt,
    target: row.target,
    instance: row.instance,
    kind: row.kind,
    status: row.status,
    consecutiveFailures: row.consecutive_failures,
    inject: row.inject,
    replyTo: row.reply_to,
    preamble: row.preamble,
    owner: row.owner,
    messageId: row.message_id,
    traceId: row.trace_id,
    result: (row.result ?? undefined) as JsonValue | undefined,
    error: row.error,
    dispatchedAt: row.dispatched_at,
    deadlineAt: row.deadline_at,
    sentAt: row.sent_at,
    finishedAt: row.finished_at,
  };
}
