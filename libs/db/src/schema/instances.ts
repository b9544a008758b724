import type { Generated } from "kysely";
import type { Int8WithDefault, JsonWithDefault, Nullable, NullableTimestamp, TimestampWithDefault } from "./column-types.js";

/** `instances.kind`: an ordinary gRPC service or a coding agent driven through its CLI. */
export type InstanceKind = "service" | "agent";
/** `instances.health`, as decided by probes and heartbeats. */
export type InstanceHealth = "unknown" | "healthy" | "degraded" | "down";
/** `instances.activity`: what the instance is doing; `idle` ones can be allocated. */
export type InstanceActivity = "idle" | "busy" | "waiting" | "running" | "completed" | "error";
/** `instances.probe_mode`: probed over grpc.health.v1, or trusted by its heartbeats. */
export type InstanceProbeMode = "grpc" | "heartbeat";

/** Table `instances` (migrations 0001, 0005): the registry of named instances. */
export interface InstancesTable {
  /** Primary key (`A`, `kite-3`). */
  name: string;
  /** host:port that worker and health RPCs go to. */
  address: string;
  kind: InstanceKind;
  /** @default "default" */
  pool: Generated<string>;
  /** String map for `@label:K=V` selectors. @default {} */
  labels: JsonWithDefault<Record<string, string>>;
  /** @default "unknown" */
  health: Generated<InstanceHealth>;
  /** @default "idle" */
  activity: Generated<InstanceActivity>;
  /** Free text about the activity (the task, the error). @default "" */
  activity_detail: Generated<string>;
  /** @default "grpc" */
  probe_mode: Generated<InstanceProbeMode>;
  /** Who holds the allocation; null when unallocated. */
  allocated_to: Nullable<string>;
  allocated_at: NullableTimestamp;
  registered_at: TimestampWithDefault;
  last_heartbeat_at: NullableTimestamp;
  health_changed_at: TimestampWithDefault;
  /**
   * A name reserved by a pool's provisioner, not registered yet (migration
   * 0005). Registering over it clears the flag and keeps `allocated_to`.
   * @default false
   */
  provisioning: Generated<boolean>;
  /** When `activity` last changed, for idle shutdown (migration 0005). */
  activity_changed_at: TimestampWithDefault;
  /** Bumped by every update (`version = version + 1`) for compare-and-set; int8 read as a string. @default "1" */
  version: Int8WithDefault;
}
