import { Code, ConnectError } from "@connectrpc/connect";
import { Activity, HealthService, InstanceKind, ProbeMode } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import type { Logger } from "pino";
import type { AgentActivity } from "./agent-activity.js";
import type { AgentPresence } from "./agent-presence.js";

/** Options of startAgentRegistration. */
export interface AgentRegistrationOptions {
  readonly name: string;
  /** host:port of the runner's AgentService (where `agent tail` connects). */
  readonly address: string;
  readonly pool: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Health service address. */
  readonly controlPlane: string;
  readonly apiKey?: string;
  readonly heartbeatIntervalMs: number;
  /** Deadline of each call. @default 5000 */
  readonly callTimeoutMs?: number;
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

const FATAL_CODES = new Set([Code.Unauthenticated, Code.PermissionDenied, Code.InvalidArgument]);
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
 * registers again and re-reports. Calls run one at a time, in order.
 */
export function startAgentRegistration(o: AgentRegistrationOptions): AgentRegistration {
  const client = createServiceClient(HealthService, { address: o.controlPlane, apiKey: o.apiKey, timeoutMs: o.callTimeoutMs ?? 5000 });
  const log = o.logger.child({ component: "agent-registration", instance: o.name, controlPlane: o.controlPlane });
  const abort = new AbortController();
  let queue: Promise<void> = Promise.resolve();
  let registered = false;
  let activityStale = false;
  let failing = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const enqueue = (step: () => Promise<void>): Promise<void> => {
    const run = queue.then(() => (stopped ? undefined : step()));
    queue = run.catch(() => undefined);
    return run;
  };

  const onFailure = (call: string, error: unknown): void => {
    const e = ConnectError.from(error);
    if (e.code === Code.NotFound && registered) {
      log.warn({ call }, "control plane does not know this agent; registering again");
      registered = false;
      void enqueue(register).catch(() => undefined);
      return;
    }
    if (!failing && !stopped) log.warn({ call, code: Code[e.code], err: e.rawMessage }, "control-plane call failed; retrying");
    failing = true;
  };

  const succeeded = (): void => {
    if (failing) log.info("control plane reachable again");
    failing = false;
  };

  async function register(): Promise<void> {
    try {
      await client.registerInstance(
        { name: o.name, address: o.address, kind: InstanceKind.AGENT, pool: o.pool, labels: { ...o.labels }, probeMode: ProbeMode.HEARTBEAT, replace: true },
        { signal: abort.signal },
      );
    } catch (error) {
      onFailure("RegisterInstance", error);
      throw error;
    }
    registered = true;
    succeeded();
    log.info({ address: o.address, pool: o.pool }, "registered with the control plane");
    // A heartbeat-probed instance is healthy from its first heartbeat on.
    await heartbeat();
    const now = o.activity();
    await sendActivity(now.activity, now.detail);
  }

  async function sendActivity(activity: AgentActivity, detail: string): Promise<void> {
    if (!registered) return;
    try {
      await client.reportActivity({ name: o.name, activity: ACTIVITY[activity], detail }, { signal: abort.signal });
      activityStale = false;
      succeeded();
    } catch (error) {
      activityStale = true;
      onFailure("ReportActivity", error);
    }
  }

  async function heartbeat(): Promise<void> {
    try {
      await client.heartbeat({ name: o.name }, { signal: abort.signal });
      succeeded();
    } catch (error) {
      onFailure("Heartbeat", error);
    }
  }

  async function tick(): Promise<void> {
    if (!registered) return register().catch(() => undefined);
    await heartbeat();
    if (activityStale && registered) {
      const now = o.activity();
      await sendActivity(now.activity, now.detail);
    }
  }

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void enqueue(tick).finally(schedule), o.heartbeatIntervalMs);
    timer.unref();
  };

  const halt = async (): Promise<void> => {
    stopped = true;
    clearTimeout(timer);
    abort.abort();
    await queue;
  };

  return {
    async start() {
      try {
        await enqueue(register);
      } catch (error) {
        if (FATAL_CODES.has(ConnectError.from(error).code)) throw error;
      }
      schedule();
    },
    report(activity, detail) {
      void enqueue(() => sendActivity(activity, detail));
    },
    release(holder) {
      void enqueue(async () => {
        if (!registered) return;
        try {
          await client.releaseInstance({ name: o.name, holder }, { signal: abort.signal });
          log.info({ holder }, "released the allocation");
        } catch (error) {
          const code = ConnectError.from(error).code;
          if (code !== Code.FailedPrecondition && code !== Code.NotFound) onFailure("ReleaseInstance", error);
        }
      });
    },
    async deregister(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      clearTimeout(timer);
      // Reports and releases still queued go first, as long as the deadline allows.
      await Promise.race([queue, new Promise((resolve) => setTimeout(resolve, timeoutMs / 2).unref())]);
      const wasRegistered = registered;
      await halt();
      if (!wasRegistered) return;
      try {
        await client.deregisterInstance({ name: o.name }, { timeoutMs: Math.max(500, deadline - Date.now()) });
        log.info("deregistered");
      } catch (error) {
        const e = ConnectError.from(error);
        if (e.code !== Code.NotFound) log.warn({ code: Code[e.code], err: e.rawMessage }, "could not deregister");
      }
    },
    stop: halt,
  };
}
