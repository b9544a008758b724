import { Activity, InstanceKind, ProbeMode } from "@orchestrator/contracts";
import { type HealthCall, type InstanceLinkSettings, startInstanceLink } from "@orchestrator/rpc";
import type { Logger } from "pino";
import type { WorkActivity } from "./activity-tracker.js";

/** Options of startRegistration. */
export interface RegistrationOptions extends InstanceLinkSettings {
  /** host:port the control plane probes and delegates to. */
  readonly address: string;
  /** The worker's activity now; reported after every (re-)registration. */
  readonly activity: () => WorkActivity;
  /** Called after every successful (re-)registration, once its activity was reported. */
  readonly onRegistered?: () => void;
  readonly logger: Logger;
}

/** A worker's link to the control plane. */
export interface Registration {
  /**
   * Registers for the first time and starts heartbeats. Rejects on a
   * configuration error (UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT);
   * any other failure (control plane not up yet) is logged and retried on
   * every heartbeat tick.
   */
  start(): Promise<void>;
  /** Queues a ReportActivity; reports go out in order, one call at a time. */
  reportActivity(activity: WorkActivity): void;
  /** Stops heartbeats and aborts calls in flight. The registration stays. */
  stop(): Promise<void>;
}

const ACTIVITY: Record<WorkActivity, Activity> = { idle: Activity.IDLE, busy: Activity.BUSY };

/**
 * Links a worker to the health service: RegisterInstance (replace=true, kind
 * service, probe mode grpc), then a Heartbeat every `heartbeatIntervalMs`.
 * When a heartbeat or activity report answers NOT_FOUND (the control plane
 * was reset or the instance deregistered) it registers again and re-reports
 * its activity. All calls run one at a time, in order, so reports never
 * overtake each other. The machinery is startInstanceLink's.
 */
export function startRegistration(o: RegistrationOptions): Registration {
  const report = (call: HealthCall, activity: WorkActivity): Promise<boolean> =>
    call("ReportActivity", (health, signal) => health.reportActivity({ name: o.name, activity: ACTIVITY[activity] }, { signal }));
  const logger = o.logger.child({ component: "worker-registration", instance: o.name, controlPlane: o.controlPlane });
  const link = startInstanceLink({
    ...o,
    kind: InstanceKind.SERVICE,
    probeMode: ProbeMode.GRPC,
    afterRegister: async (call) => {
      await report(call, o.activity());
      o.onRegistered?.();
    },
    logger,
  });
  return {
    start: () => link.start(),
    reportActivity: (activity) => {
      report(link.call, activity).catch((err: unknown) => logger.error({ err, activity }, "could not report activity"));
    },
    stop: () => link.stop(),
  };
}
