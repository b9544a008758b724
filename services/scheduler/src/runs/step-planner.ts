import { sql } from "kysely";

/**
 * The planner settings of a run step's transaction, selected by its first
 * statement (they hold until it ends): plain index scans only.
 *
 * - No bitmap scans: a plain index scan marks the dead index entries it
 *   meets, so the next step skips them, while a bitmap scan visits them again
 *   every time (a claim took a bitmap over 4,263 entries of the run's
 *   (run, status) index for 63 ready tasks, 1.2-1.7 ms a step, where vacuum
 *   lags or is off).
 * - No sequential scans: without fresh statistics the planner takes a run's
 *   rows for spread evenly over the table, and answered "does this run still
 *   have open tasks" by reading the table from its start, every earlier
 *   run's tasks included (7-9 ms a step after 50,000 tasks; DAG promotion
 *   p50 3.00 -> 2.30 ms). Every statement of a step has an index to use.
 */
export const STEP_PLANNER = sql<string>`set_config('enable_bitmapscan', 'off', true) || set_config('enable_seqscan', 'off', true)`;
