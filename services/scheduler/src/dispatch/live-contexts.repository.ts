import { sql } from "kysely";
import type { DispatchStatusName } from "@orchestrator/db";
import type { Tx } from "../shared/db.js";
import { jsonText } from "../shared/db.js";

/**
 * Closes the live (`dispatched`) context of each task with `status`, as a
 * compare-and-set; returns the closed context ids (whose in-flight calls
 * the caller announces as `closed`).
 */
export async function closeLiveContexts(
  tx: Tx,
  taskIds: readonly string[],
  status: DispatchStatusName,
  detail: { error?: string; result?: unknown } = {},
): Promise<string[]> {
  if (taskIds.length === 0) return [];
  const closed: string[] = [];
  for (let i = 0; i < taskIds.length; i += 5000) {
    const rows = await tx
      .updateTable("dispatch_contexts")
      .set({
        status,
        finished_at: sql<Date>`now()`,
        ...(detail.error !== undefined ? { error: detail.error } : {}),
        ...(detail.result !== undefined ? { result: jsonText(detail.result) } : {}),
      })
      .where("task_id", "in", taskIds.slice(i, i + 5000))
      .where("status", "=", "dispatched")
      .returning("id")
      .execute();
    closed.push(...rows.map((r) => r.id));
  }
  return closed;
}
