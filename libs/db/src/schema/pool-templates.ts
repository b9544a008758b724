import type { Json, TimestampWithDefault } from "./column-types.js";

/** Table `pool_templates` (migration 0006): pool templates applied at run time (ApplyPools), the resolved template as JSON. */
export interface PoolTemplatesTable {
  name: string;
  template: Json<Record<string, unknown>>;
  applied_at: TimestampWithDefault;
}
