import { executePrepared } from "@orchestrator/db";
import { sql } from "kysely";
import type { Tx } from "../shared/db.js";
import type { TaskRow } from "../tasks/task.js";

/**
 * Claims up to `limit` ready tasks of a run, highest priority then oldest
 * first, `FOR UPDATE SKIP LOCKED` (concurrent claimers take different
 * rows, never wait), marking them `dispatched` and counting the attempt, in
 * one statement. Also answers which of them have decided gates (their
 * preamble carries the decisions).
 */
export async function claimReadyTasks(tx: Tx, runId: string, limit: number): Promise<{ rows: TaskRow[]; decided: Set<string> }> {
  const rows = await executePrepared(
    tx,
    "claim_ready",
    sql<TaskRow & { decided: boolean }>`
    update tasks t
    set status = 'dispatched', attempts = t.attempts + 1, updated_at = now()
    where t.id in (
      select id from tasks
      where run_id = ${runId} and status = 'ready'
      order by priority desc, seq
      limit ${limit}
      for update skip locked
    )
    returning t.*, exists(select 1 from decision_gates g where g.task_id = t.id and g.status in ('resolved', 'timeout')) as decided`,
  );
  rows.sort((a, b) => b.priority - a.priority || Number(a.seq) - Number(b.seq));
  return { rows, decided: new Set(rows.filter((r) => r.decided).map((r) => r.id)) };
}
