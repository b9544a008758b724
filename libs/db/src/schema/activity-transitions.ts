import type { Int8WithDefault, TimestampWithDefault } from "./column-types.js";
import type { InstanceActivity } from "./instances.js";

/** Table `activity_transitions` (migration 0006): every activity change of an instance, newest first by `(name, at desc)`. */
export interface ActivityTransitionsTable {
  /** bigserial, read as a decimal string. */
  id: Int8WithDefault;
  name: string;
  from_activity: InstanceActivity;
  to_activity: InstanceActivity;
  /** What the instance reported with it ("task t1: exit 0"). */
  detail: string;
  at: TimestampWithDefault;
}
