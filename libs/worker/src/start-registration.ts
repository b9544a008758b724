import { Code, ConnectError } from "@connectrpc/connect";
import { Activity, HealthService, InstanceKind, ProbeMode } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import type { Logger } from "pino";
import type { WorkActivity } from "./activity-tracker.js";

/** Options of startRegistration. */
export interface RegistrationOptions {
  readonly name: string;
  /** host:port the control plane probes and delegates to. */
  readonly address: string;
  readonly pool: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Control-plane (health service) address. */
  readonly controlPlane: string;
  readonly apiKey?: string;
  readonly heartbeatIntervalMs: number;
  /** Deadline of each control-plane call. @default 5000 */
  readonly callTimeoutMs?: number;
  /** The worker's activity now; reported after every (re-)registration. */
  readonly activity: () => WorkActivity;
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

const FATAL_CODES = new Set([Code.Unauthenticated, Code.PermissionDenied, Code.InvalidArgument]);
const ACTIVITY: Record<WorkActivity, Activity> = { idle: Activity.IDLE, busy: Activity.BUSY };

/**
 * Links a worker to the health service: RegisterInstance (replace=true, kind
 * service, probe mode grpc), then a Heartbeat every `heartbeatIntervalMs`.
 * When a heartbeat or activity report answers NOT_FOUND (the control plane
 * was reset or the instance deregistered) it registers again and re-reports
 * its activity. All calls run one at a time, in order, so reports never
 * overtake each other.
 */
export function startRegistration(o: RegistrationOptions): Registration {
  const client = createServiceClient(HealthService, {
    address: o.controlPlane,
    apiKey: o.apiKey,
    timeoutMs: o.callTimeoutMs ?? 5000,
  });
  const log = o.logger.child({ component: "worker-registration", instance: o.name, controlPlane: o.controlPlane });
  const abort = new AbortController();
  let queue: Promise<void> = Promise.resolve();
  let registered = false;
  let failing = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const enqueue = (step: () => Promise<void>): Promise<void> => {
    const run = queue.then(() => (stopped ? undefined : step()));
    queue = run.catch(() => undefined);
    return run;
  };

  const onFailure = (what: string, error: unknown): void => {
    const connectError = ConnectError.from(error);
    if (connectError.code === Code.NotFound && registered) {
      log.warn({ call: what }, "control plane does not know this instance; registering again");
      registered = false;
      void enqueue(register).catch(() => undefined);
      return;
    }
    if (!failing && !stopped) log.warn({ call: what, code: Code[connectError.code], err: connectError.rawMessage }, "control-plane call failed; retrying");
    failing = true;
  };

  const succeeded = (): void => {
    if (failing) log.info("control plane reachable again");
    failing = false;
  };

  async function register(): Promise<void> {
    try {
      await client.registerInstance(
        {
          name: o.name,
          address: o.address,
          kind: InstanceKind.SERVICE,
          pool: o.pool,
          labels: { ...o.labels },
          probeMode: ProbeMode.GRPC,
          replace: true,
        },
        { signal: abort.signal },
      );
    } catch (error) {
      onFailure("RegisterInstance", error);
      throw error;
    }
    registered = true;
    succeeded();
    log.info({ address: o.address }, "registered with the control plane");
    await sendActivity(o.activity());
  }

  async function sendActivity(activity: WorkActivity): Promise<void> {
    if (!registered) return;
    try {
      await client.reportActivity({ name: o.name, activity: ACTIVITY[activity] }, { signal: abort.signal });
      succeeded();
    } catch (error) {
      onFailure("ReportActivity", error);
    }
  }

  async function heartbeat(): Promise<void> {
    if (!registered) return register().catch(() => undefined);
    try {
      await client.heartbeat({ name: o.name }, { signal: abort.signal });
      succeeded();
    } catch (error) {
      onFailure("Heartbeat", error);
    }
  }

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void enqueue(heartbeat).finally(schedule);
    }, o.heartbeatIntervalMs);
    timer.unref();
  };

  return {
    async start() {
      try {
        await enqueue(register);
      } catch (error) {
        const code = ConnectError.from(error).code;
        if (FATAL_CODES.has(code)) throw error;
      }
      schedule();
    },
    reportActivity(activity) {
      void enqueue(() => sendActivity(activity));
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      abort.abort();
      await queue;
    },
  };
}
