import type { Int8WithDefault, TimestampWithDefault } from "./column-types.js";
import type { InstanceHealth } from "./instances.js";

/**
 * Table `health_transitions` (migration 0001): the health history of
 * instances, newest first by index `(name, at desc)`. `name` has no foreign
 * key, so the history outlives a deregistered instance until it is purged.
 */
export interface HealthTransitionsTable {
  /** bigserial, read as a decimal string ("1", "2", ...). */
  id: Int8WithDefault;
  name: string;
  from_health: InstanceHealth;
  to_health: InstanceHealth;
  /** Why it changed ("3 failed probes", "heartbeat missed"). */
  reason: string;
  at: TimestampWithDefault;
}
