import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  Activity,
  type ActivityTransition,
  ActivityTransitionSchema,
  HealthState,
  InstanceKind,
  InstanceSchema,
  ProbeMode,
  type HealthTransition,
  HealthTransitionSchema,
  type Instance,
} from "@orchestrator/contracts";
import type {
  ActivityStatus,
  ActivityTransitionRecord,
  HealthStatus,
  InstanceKindName,
  InstanceRecord,
  ProbeModeName,
  TransitionRecord,
} from "../instances/instance.js";

const healthToProto: Record<HealthStatus, HealthState> = {
  unknown: HealthState.UNKNOWN,
  healthy: HealthState.HEALTHY,
  degraded: HealthState.DEGRADED,
  down: HealthState.DOWN,
};
const activityToProto: Record<ActivityStatus, Activity> = {
  idle: Activity.IDLE,
  busy: Activity.BUSY,
  waiting: Activity.WAITING,
  running: Activity.RUNNING,
  completed: Activity.COMPLETED,
  error: Activity.ERROR,
};
const activityFromProto = new Map(Object.entries(activityToProto).map(([k, v]) => [v, k as ActivityStatus]));

export function healthStateToProto(h: HealthStatus): HealthState {
  return healthToProto[h];
}

/** Proto Activity → domain; undefined for ACTIVITY_UNSPECIFIED ("leave unchanged"). */
export function activityFromProtoEnum(a: Activity): ActivityStatus | undefined {
  return activityFromProto.get(a);
}

export function kindFromProto(k: InstanceKind): InstanceKindName {
  return k === InstanceKind.AGENT ? "agent" : "service";
}

export function probeModeFromProto(m: ProbeMode): ProbeModeName {
  return m === ProbeMode.HEARTBEAT ? "heartbeat" : "grpc";
}

/** Domain record → wire message. */
export function instanceToProto(r: InstanceRecord): Instance {
  return create(InstanceSchema, {
    name: r.name,
    address: r.address,
    kind: r.kind === "agent" ? InstanceKind.AGENT : InstanceKind.SERVICE,
    pool: r.pool,
    labels: { ...r.labels },
    health: healthToProto[r.health],
    activity: activityToProto[r.activity],
    activityDetail: r.activityDetail,
    probeMode: r.probeMode === "heartbeat" ? ProbeMode.HEARTBEAT : ProbeMode.GRPC,
    allocatedTo: r.allocatedTo ?? "",
    registeredAt: timestampFromDate(r.registeredAt),
    healthChangedAt: timestampFromDate(r.healthChangedAt),
    ...(r.lastHeartbeatAt ? { lastHeartbeatAt: timestampFromDate(r.lastHeartbeatAt) } : {}),
    ...(r.allocatedAt ? { allocatedAt: timestampFromDate(r.allocatedAt) } : {}),
  });
}

export function transitionToProto(t: TransitionRecord): HealthTransition {
  return create(HealthTransitionSchema, {
    name: t.name,
    from: healthToProto[t.from],
    to: healthToProto[t.to],
    reason: t.reason,
    at: timestampFromDate(t.at),
  });
}

/** Domain activity transition → wire message. */
export function activityTransitionToProto(t: ActivityTransitionRecord): ActivityTransition {
  return create(ActivityTransitionSchema, {
    name: t.name,
    from: activityToProto[t.from],
    to: activityToProto[t.to],
    detail: t.detail,
    at: timestampFromDate(t.at),
  });
}
