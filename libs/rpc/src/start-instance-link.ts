import { Code, ConnectError } from "@connectrpc/connect";
import { HealthService, ProbeMode } from "@orchestrator/contracts";
import { createServiceClient } from "./create-service-client.js";
import type { HealthCall, InstanceLink, InstanceLinkOptions } from "./instance-link.js";

/** Refusals of the configuration: start() rejects on these instead of retrying. */
const FATAL_CODES: ReadonlySet<Code> = new Set([Code.Unauthenticated, Code.PermissionDenied, Code.InvalidArgument]);

/**
 * Links an instance (a worker, an agent) to the health service:
 * RegisterInstance (replace=true, the given kind, probe mode, address, pool
 * and labels), then a Heartbeat every `heartbeatIntervalMs`. Every call,
 * its own and those of call(), runs one at a time in one queue, so reports
 * never overtake each other or a registration. When a call answers
 * NOT_FOUND after registering (control plane reset, instance deregistered)
 * it registers again, and `afterRegister` re-reports; other failures are
 * logged once while they last and retried on the next tick. One
 * implementation, so the worker SDK and the agent runner cannot drift.
 */
export function startInstanceLink(o: InstanceLinkOptions): InstanceLink {
  const health = createServiceClient(HealthService, { address: o.controlPlane, apiKey: o.apiKey, timeoutMs: o.callTimeoutMs ?? 5000 });
  const log = o.logger;
  const abort = new AbortController();
  let queue: Promise<unknown> = Promise.resolve();
  let registered = false;
  let failing = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const enqueue = <T>(step: () => Promise<T>): Promise<T | undefined> => {
    const run = queue.then(() => (stopped ? undefined : step()));
    queue = run.catch(() => undefined);
    return run;
  };

  const onFailure = (call: string, error: ConnectError): void => {
    if (error.code === Code.NotFound && registered) {
      log.warn({ call }, "control plane does not know this instance; registering again");
      registered = false;
      void enqueue(register).catch(() => undefined);
      return;
    }
    if (!failing && !stopped) log.warn({ call, code: Code[error.code], err: error.rawMessage }, "control-plane call failed; retrying");
    failing = true;
  };

  const succeeded = (): void => {
    if (failing) log.info("control plane reachable again");
    failing = false;
  };

  /** A call now, inside the running queue step. */
  const send: HealthCall = async (label, call, options) => {
    if (!registered) return false;
    try {
      await call(health, abort.signal);
    } catch (error) {
      const e = ConnectError.from(error);
      if (!options?.ignore?.includes(e.code)) onFailure(label, e);
      return false;
    }
    succeeded();
    return true;
  };

  const heartbeat = (): Promise<boolean> => send("Heartbeat", (h, signal) => h.heartbeat({ name: o.name }, { signal }));

  async function register(): Promise<void> {
    try {
      await health.registerInstance(
        { name: o.name, address: o.address, kind: o.kind, pool: o.pool, labels: { ...o.labels }, probeMode: o.probeMode, replace: true },
        { signal: abort.signal },
      );
    } catch (error) {
      onFailure("RegisterInstance", ConnectError.from(error));
      throw error;
    }
    registered = true;
    succeeded();
    log.info({ address: o.address, pool: o.pool }, "registered with the control plane");
    if (o.probeMode === ProbeMode.HEARTBEAT) await heartbeat();
    await o.afterRegister?.(send);
  }

  async function tick(): Promise<void> {
    if (!registered) return register().catch(() => undefined);
    await heartbeat();
    await o.onTick?.(send);
  }

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      enqueue(tick)
        .catch((err: unknown) => log.error({ err }, "heartbeat tick failed"))
        .finally(schedule);
    }, o.heartbeatIntervalMs);
    timer.unref();
  };

  const stop = async (): Promise<void> => {
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
    call: async (label, call, options) => (await enqueue(() => send(label, call, options))) ?? false,
    stop,
    async deregister(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      clearTimeout(timer);
      await Promise.race([queue, new Promise((resolve) => setTimeout(resolve, timeoutMs / 2).unref())]);
      const wasRegistered = registered;
      await stop();
      if (!wasRegistered) return;
      try {
        await health.deregisterInstance({ name: o.name }, { timeoutMs: Math.max(500, deadline - Date.now()) });
        log.info("deregistered");
      } catch (error) {
        const e = ConnectError.from(error);
        if (e.code !== Code.NotFound) log.warn({ code: Code[e.code], err: e.rawMessage }, "could not deregister");
      }
    },
  };
}
