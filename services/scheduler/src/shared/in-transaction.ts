/** The scheduler's transactions retry conflicts a bounded number of times, then ABORTED (see @orchestrator/db inTransaction). */
export { inTransaction } from "@orchestrator/db";
