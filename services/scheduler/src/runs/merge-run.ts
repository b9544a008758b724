import { sql } from "kysely";
import type { Tx } from "../shared/db.js";
import { announce } from "../events/scheduler-notice.js";
import { setRunStatus } from "./run.repository.js";

/**
 * The `merging` phase: aggregates the results of the run's tasks into the
 * run result, `{"results": {key: result}, "failed": {key: {error, reason}}}`
 * (`failed` only when some failed), and ends the run `done` when every
 * task completed, `failed` otherwise. One SQL aggregate; compare-and-set on
 * the phase and the lease. Returns false when another writer got there first.
 */
export async function mergeRun(tx: Tx, runId: string, owner: string): Promise<boolean> {
  const { rows } = await sql<{ results: unknown; failed: unknown; failed_count: string; open_count: string; failed_keys: string[] | null }>`
    select
      coalesce(jsonb_object_agg(coalesce(key, id), result) filter (where status = 'completed'), '{}'::jsonb) as results,
      coalesce(jsonb_object_agg(coalesce(key, id), jsonb_build_object('error', error, 'reason', failure_reason)) filter (where status = 'failed'), '{}'::jsonb) as failed,
      count(*) filter (where status = 'failed') as failed_count,
      count(*) filter (where status not in ('completed', 'failed')) as open_count,
      (array_agg(coalesce(key, id) order by seq) filter (where status = 'failed'))[1:5] as failed_keys
    from tasks where run_id = ${runId}`.execute(tx);
  const agg = rows[0]!;
  if (Number(agg.open_count) > 0) return false;
  const failedCount = Number(agg.failed_count);
  const result = failedCount > 0 ? { results: agg.results, failed: agg.failed } : { results: agg.results };
  const error = failedCount > 0 ? `${failedCount} task(s) failed: ${(agg.failed_keys ?? []).join(", ")}${failedCount > 5 ? ", ..." : ""}` : null;
  const updated = await setRunStatus(tx, runId, ["merging"], failedCount > 0 ? "failed" : "done", { owner, result, error });
  if (updated) await announce(tx, { k: "runs", ids: [runId] });
  return updated !== undefined;
}
