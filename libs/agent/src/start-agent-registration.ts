import { Code } from "@connectrpc/connect";
import { Activity, InstanceKind, ProbeMode } from "@orchestrator/contracts";
import { type HealthCall, type HealthClient, type InstanceLinkSettings, startInstanceLink } from "@orchestrator/rpc";
import type { Logger } from "pino";
import type { AgentActivity } from "./agent-activity.js";
import type { AgentPresence } from "./agent-presence.js";

/** Options of startAgentRegistration. */
export interface AgentRegistrationOptions extends InstanceLinkSettings {
  /** host:port of the runner's AgentService (where `agent tail` connects). */
  readonly address: string;
  /** The activity now; reported after every (re-)registration. */
  readonly activity: () => { activity: AgentActivity; detail: string };
  readonly logger: Logger;
}

/** An agent's link to the health registry. */
export interface AgentRegistration extends AgentPresence {
  /**
   * Registers and starts heartbeats. Rejects when the control plane refuses
   * the configuration (UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT);
   * any other failure (control plane not up yet) is logged and retried on
   * every heartbeat tick.
   */
  start(): Promise<void>;
  /** Stops heartbeats, lets queued reports go out, and removes the instance (DeregisterInstance), all within about `timeoutMs`. */
  deregister(timeoutMs: number): Promise<void>;
  /** Stops heartbeats and aborts calls in flight; the registration stays. */
  stop(): Promise<void>;
}

const ACTIVITY: Record<AgentActivity, Activity> = {
  idle: Activity.IDLE,
  waiting: Activity.WAITING,
  running: Activity.RUNNING,
  completed: Activity.COMPLETED,
  error: Activity.ERROR,
};

/**
 * Registers an agent with the health service: RegisterInstance (kind
 * agent, probe mode heartbeat, replace=true, the AgentService address),
 * then a Heartbeat every interval, which keeps it healthy. Activity goes
 * out as ReportActivity calls with their detail; a heartbeat carries no
 * activity (each one that did would wake every WatchHealth stream, and
 * could overwrite the `busy` an allocation set), except after a report
 * failed: then the next tick reports the current activity again. When a
 * call answers NOT_FOUND (control plane reset, instance deregistered) it
 * registers again and re-reports. Calls run one at a time, in order. The
 * machinery is startInstanceLink's.
 */
export function startAgentRegistration(o: AgentRegistrationOptions): AgentRegistration {
  const log = o.logger.child({ component: "agent-registration", instance: o.name, controlPlane: o.controlPlane });
  let activityStale = false;
  const report = async (call: HealthCall, activity: AgentActivity, detail: string): Promise<void> => {
    const sent = await call("ReportActivity", (health, signal) => health.reportActivity({ name: o.name, activity: ACTIVITY[activity], detail }, { signal }));
    activityStale = !sent;
  };
  const reportNow = (call: HealthCall): Promise<void> => {
    const now = o.activity();
    return report(call, now.activity, now.detail);
  };
  const link = startInstanceLink({
    ...o,
    kind: InstanceKind.AGENT,
    probeMode: ProbeMode.HEARTBEAT,
    afterRegister: reportNow,
    onTick: async (call) => (activityStale ? reportNow(call) : undefined),
    logger: log,
  });
  return {
    start: () => link.start(),
    report: (activity, detail) => {
      report(link.call, activity, detail).catch((err: unknown) => log.error({ err, activity }, "could not report activity"));
    },
    release(holder) {
      const release = async (health: HealthClient, signal: AbortSignal): Promise<void> => {
        await health.releaseInstance({ name: o.name, holder }, { signal });
        log.info({ holder }, "released the allocation");
      };
      // Not held (any more) by `holder`, or no such instance: nothing to release.
      link.call("ReleaseInstance", release, { ignore: [Code.FailedPrecondition, Code.NotFound] }).catch((err: unknown) => log.error({ err, holder }, "could not release the allocation"));
    },
    deregister: (timeoutMs) => link.deregister(timeoutMs),
    stop: () => link.stop(),
  };
}
