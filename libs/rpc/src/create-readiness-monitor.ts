import type { Logger } from "pino";
import type { HealthStatusRegistry } from "./health-status-registry.js";
import { RepeatedFailureLog } from "./repeated-failure-log.js";

/** Options of createReadinessMonitor. */
export interface ReadinessMonitorOptions {
  /** What is probed, for logs: "database". */
  readonly dependency: string;
  /** Resolves when the dependency answers (`SELECT 1`); rejects or outlasts `timeoutMs` when it does not. */
  readonly probe: () => Promise<unknown>;
  /** grpc.health.v1 service names that cannot serve without it. */
  readonly serviceNames: readonly string[];
  /** How long the dependency may stay unreachable before those names turn NOT_SERVING. */
  readonly graceMs: number;
  /** Time between probes. */
  readonly intervalMs: number;
  /** A probe slower than this is a failure. @default max(intervalMs, 2000) */
  readonly timeoutMs?: number;
  readonly logger: Logger;
}

/** A running readiness monitor; see createReadinessMonitor. */
export interface ReadinessMonitor {
  /** Starts probing; statuses are set on `health`. */
  start(health: HealthStatusRegistry): void;
  /** Stops probing (shutdown); leaves statuses as they are. */
  stop(): void;
  /** Whether the monitor currently holds the service names NOT_SERVING. */
  readonly holdingNotServing: boolean;
}

/**
 * Readiness that tells the truth about a dependency: probes it every
 * `intervalMs`; once it has failed continuously for longer than `graceMs`,
 * sets `serviceNames` NOT_SERVING on grpc.health.v1 (the overall `""` is left
 * alone: it is liveness, and a restart would not bring the database back);
 * on the first probe that succeeds again, sets them SERVING, with no action
 * taken. It never turns a server SERVING that is not (`""` NOT_SERVING means
 * starting or shutting down). Failures are logged once per outage, then
 * summarised.
 */
export function createReadinessMonitor(o: ReadinessMonitorOptions): ReadinessMonitor {
  const timeoutMs = o.timeoutMs ?? Math.max(o.intervalMs, 2000);
  const failures = new RepeatedFailureLog(o.logger);
  const what = `${o.dependency} readiness probe`;
  let health: HealthStatusRegistry | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failingSince: number | undefined;
  let holding = false;

  const live = () => health?.get("") === "SERVING";

  const check = async (): Promise<void> => {
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        o.probe(),
        new Promise((_, reject) => {
          timeout = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      failures.succeeded(what);
      if (holding && live() && !stopped) {
        for (const name of o.serviceNames) health!.setStatus(name, "SERVING");
        o.logger.info({ services: o.serviceNames, unreachableMs: Date.now() - failingSince! }, `${o.dependency} reachable again: SERVING`);
      }
      holding = false;
      failingSince = undefined;
    } catch (err) {
      failures.failed(what, err);
      const now = Date.now();
      failingSince ??= now;
      if (!holding && now - failingSince >= o.graceMs && live() && !stopped) {
        holding = true;
        for (const name of o.serviceNames) health!.setStatus(name, "NOT_SERVING");
        o.logger.warn({ services: o.serviceNames, unreachableMs: now - failingSince }, `${o.dependency} unreachable for longer than ${o.graceMs} ms: NOT_SERVING until it answers`);
      }
    } finally {
      clearTimeout(timeout);
    }
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      check().finally(schedule).catch(() => undefined);
    }, o.intervalMs);
    timer.unref();
  };

  return {
    start(registry) {
      health = registry;
      schedule();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      failures.flush();
    },
    get holdingNotServing() {
      return holding;
    },
  };
}
