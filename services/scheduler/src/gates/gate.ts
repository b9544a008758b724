import type { Database, GateStatusName } from "@orchestrator/db";
import type { Selectable } from "kysely";

/** A decision gate as stored. */
export interface GateRecord {
  readonly id: string;
  readonly taskId: string;
  readonly question: string;
  readonly options: readonly string[];
  readonly defaultOption: string | null;
  readonly deadlineAt: Date | null;
  readonly status: GateStatusName;
  readonly resolution: string | null;
  readonly resolvedBy: string | null;
  readonly notify: string;
  readonly messageId: string | null;
  readonly source: string;
  readonly createdAt: Date;
  readonly resolvedAt: Date | null;
}

/** A row of `decision_gates`. */
export type GateRow = Selectable<Database["decision_gates"]>;

/** Maps a row to a record. */
export function toGateRecord(row: GateRow): GateRecord {
  return {
    id: row.id,
    taskId: row.task_id,
    question: row.question,
    options: typeof row.options === "string" ? (JSON.parse(row.options) as string[]) : row.options,
    defaultOption: row.default_option,
    deadlineAt: row.deadline_at,
    status: row.status,
    resolution: row.resolution,
    resolvedBy: row.resolved_by,
    notify: row.notify_handle,
    messageId: row.message_id,
    source: row.source,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
  };
}

/** What creating a gate takes. */
export interface NewGate {
  /** Generated when absent (escalations derive it from their message, so a report processed twice opens one gate). */
  readonly id?: string;
  readonly taskId: string;
  readonly question: string;
  readonly options: readonly string[];
  readonly defaultOption?: string;
  /** Absolute deadline, or... */
  readonly deadline?: Date;
  /** ...one relative to the database's now. */
  readonly timeoutMs?: number;
  /** Handle asked; default: the configured gate handle. */
  readonly notify?: string;
  /** `api` or `escalation`. */
  readonly source?: string;
  /** How a live dispatch of the task is closed: `gated` (default) or `escalated`. */
  readonly closeAs?: "gated" | "escalated";
}
