import type { HealthTransitionsTable } from "./health-transitions.js";
import type { InstancesTable } from "./instances.js";

/**
 * Every table of the orchestrator database, by table name: the type
 * parameter of `Kysely<Database>`. Kept in step with `migrations/` by hand.
 */
export interface Database {
  instances: InstancesTable;
  health_transitions: HealthTransitionsTable;
}
