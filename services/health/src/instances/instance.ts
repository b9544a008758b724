/** Health states, as stored and as shown to people (`healthy`, `down`...). */
export type HealthStatus = "unknown" | "healthy" | "degraded" | "down";
/** The worker status protocol. */
export type ActivityStatus = "idle" | "busy" | "waiting" | "running" | "completed" | "error";
export type InstanceKindName = "service" | "agent";
export type ProbeModeName = "grpc" | "heartbeat";

/** One registered instance, as the service layer sees it. */
export interface InstanceRecord {
  readonly name: string;
  readonly address: string;
  readonly kind: InstanceKindName;
  readonly pool: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly health: HealthStatus;
  readonly activity: ActivityStatus;
  readonly activityDetail: string;
  readonly probeMode: ProbeModeName;
  readonly allocatedTo: string | null;
  readonly allocatedAt: Date | null;
  readonly registeredAt: Date;
  readonly lastHeartbeatAt: Date | null;
  readonly healthChangedAt: Date;
  /** A name reserved by a pool's provisioner; the agent has not registered yet. */
  readonly provisioning: boolean;
  /** When the activity last changed (idle shutdown measures from here). */
  readonly activityChangedAt: Date;
  /** Bumped by every write; compare-and-set token. */
  readonly version: string;
}

/** What a registration provides. */
export interface NewInstance {
  readonly name: string;
  readonly address: string;
  readonly kind: InstanceKindName;
  readonly pool: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly probeMode: ProbeModeName;
}

/** One change of health, kept as history. */
export interface TransitionRecord {
  readonly name: string;
  readonly from: HealthStatus;
  readonly to: HealthStatus;
  readonly reason: string;
  readonly at: Date;
}

/** One change of activity, kept as history (the worker status protocol: waiting, running, completed, error, ...). */
export interface ActivityTransitionRecord {
  readonly name: string;
  readonly from: ActivityStatus;
  readonly to: ActivityStatus;
  readonly detail: string;
  readonly at: Date;
}
