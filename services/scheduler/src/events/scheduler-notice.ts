import { notify } from "@orchestrator/db";
import type { Db } from "../shared/db.js";

/** The NOTIFY channel every scheduler write that others must hear of announces itself on. */
export const SCHEDULER_CHANNEL = "orchestrator_scheduler";

/**
 * What a notification says. Payloads carry ids only (Postgres caps them at
 * 8000 bytes); listeners load what they need.
 *
 * - `runs`: these runs changed (progress, phase, tasks became ready); `by`
 *   names the run driver that made the change (`<replica>/<run>`), which
 *   needs no wake-up for it;
 * - `closed`: these dispatch contexts (or every context of `run`, or all
 *   with neither) were closed by someone else: abort their calls;
 * - `gate`: a gate with a deadline was created (re-arm the gate timer);
 * - `replicas`: a replica left or released its leases: sweep now;
 * - `reset`: everything was deleted.
 */
export type SchedulerNotice =
  | { readonly k: "runs"; readonly ids: readonly string[]; readonly by?: string }
  | { readonly k: "closed"; readonly ids?: readonly string[]; readonly run?: string }
  | { readonly k: "gate"; readonly at: string }
  | { readonly k: "replicas" }
  | { readonly k: "reset" };

const CHUNK = 100;

/** Sends `notice` on the scheduler channel (at commit when `db` is a transaction), split so each payload stays small. */
export async function announce(db: Db, notice: SchedulerNotice): Promise<void> {
  const ids = "ids" in notice ? notice.ids : undefined;
  if (ids === undefined || ids.length <= CHUNK) {
    if (ids?.length === 0) return;
    await notify(db, SCHEDULER_CHANNEL, JSON.stringify(notice));
    return;
  }
  for (let i = 0; i < ids.length; i += CHUNK) {
    await notify(db, SCHEDULER_CHANNEL, JSON.stringify({ ...notice, ids: ids.slice(i, i + CHUNK) }));
  }
}
