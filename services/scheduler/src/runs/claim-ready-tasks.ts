import { executePrepared } from "@orchestrator/db";
import { sql } from "kysely";
import type { Tx } from "../shared/db.js";
import type { DispatchableTask } from "../dispatch/dispatcher.js";
import type { TaskRow } from "../tasks/task.js";

/** A claimed task: what its dispatch is planned from, and its order. */
export type ClaimedTask = DispatchableTask & Pick<TaskRow, "priority" | "seq">;

/**
 * Claims up to `limit` ready tasks of a run, highest priority then oldest
 * first, `FOR UPDATE SKIP LOCKED` (concurrent claimers take different
 * rows, never wait), marking them `dispatched` and counting the attempt, in
 * one statement. Also answers which of them have decided gates (their
 * preamble carries the decisions). Only the columns a dispatch is planned
 * from come back (no timestamps to parse, no result).
 */
export async function claimReadyTasks(tx: Tx, runId: string, limit: number): Promise<{ rows: ClaimedTask[]; decided: Set<string> }> {
  const rows = await executePrepared(
    tx,
    "claim_ready",
    sql<ClaimedTask & { decided: boolean }>`
    update tasks t
    set status = 'dispatched', attempts = t.attempts + 1, updated_at = now()
    where t.id in (
      select id from tasks
      where run_id = ${runId} and status = 'ready'
      order by priority desc, seq
      limit ${limit}
      for update skip locked
    )
    returning t.id, t.run_id, t.spec, t.payload, t.target, t.attempts, t.timeout_ms, t.priority, t.seq, exists(select 1 from decision_gates g where g.task_id = t.id and g.status in ('resolved', 'timeout')) as decided`,
  );
  rows.sort((a, b) => b.priority - a.priority || Number(a.seq) - Number(b.seq));
  return { rows, decided: new Set(rows.filter((r) => r.decided).map((r) => r.id)) };
}
