import { Activity, HealthState, InstanceKind, type Instance } from "@orchestrator/contracts";
import type { RoutableInstance } from "./routable-instance.js";

const HEALTH: Record<HealthState, RoutableInstance["health"]> = {
  [HealthState.UNSPECIFIED]: "unknown",
  [HealthState.UNKNOWN]: "unknown",
  [HealthState.HEALTHY]: "healthy",
  [HealthState.DEGRADED]: "degraded",
  [HealthState.DOWN]: "down",
};

const ACTIVITY: Record<Activity, RoutableInstance["activity"]> = {
  [Activity.UNSPECIFIED]: "idle",
  [Activity.IDLE]: "idle",
  [Activity.BUSY]: "busy",
  [Activity.WAITING]: "waiting",
  [Activity.RUNNING]: "running",
  [Activity.COMPLETED]: "completed",
  [Activity.ERROR]: "error",
};

/** The health service's wire Instance → the router's view of it. */
export function instanceFromProto(i: Instance): RoutableInstance {
  return {
    name: i.name,
    address: i.address,
    kind: i.kind === InstanceKind.AGENT ? "agent" : "service",
    pool: i.pool,
    labels: i.labels,
    health: HEALTH[i.health] ?? "unknown",
    activity: ACTIVITY[i.activity] ?? "idle",
    allocatedTo: i.allocatedTo === "" ? null : i.allocatedTo,
  };
}
