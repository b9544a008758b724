import { z } from "zod";

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * The router's environment variables with their defaults, merged into the
 * one schema `loadConfig` parses (so a bad value is reported with the rest).
 */
export const routerEnvShape = {
  ORCHESTRATOR_ROUTE_MAX_ATTEMPTS: int(1, 10).default(3),
  ORCHESTRATOR_ROUTE_ATTEMPT_TIMEOUT_MS: int(1, 3_600_000).default(10_000),
  ORCHESTRATOR_ROUTE_TIMEOUT_MS: int(1, 3_600_000).default(30_000),
  ORCHESTRATOR_ROUTE_BACKOFF_INITIAL_MS: int(0, 60_000).default(25),
  ORCHESTRATOR_ROUTE_BACKOFF_MAX_MS: int(0, 600_000).default(1000),
  ORCHESTRATOR_OUTLIER_CONSECUTIVE_FAILURES: int(1, 1000).default(5),
  ORCHESTRATOR_OUTLIER_EJECTION_MS: int(1, 3_600_000).default(10_000),
  ORCHESTRATOR_OUTLIER_MAX_EJECTION_MS: int(1, 86_400_000).default(300_000),
  ORCHESTRATOR_SESSION_TTL_MS: int(1000, 2_592_000_000).default(1_800_000),
  ORCHESTRATOR_SESSION_SWEEP_INTERVAL_MS: int(100, 3_600_000).default(10_000),
  ORCHESTRATOR_SESSION_RETENTION_MS: int(0, 31_536_000_000).default(86_400_000),
  ORCHESTRATOR_SESSION_HISTORY_LIMIT: int(0, 100_000).default(1000),
} as const;

type RouterEnv = { [K in keyof typeof routerEnvShape]: z.output<(typeof routerEnvShape)[K]> };

/** Outlier ejection: how an instance that keeps failing is taken out of rotation and probed back. */
export interface OutlierConfig {
  /** Consecutive failed attempts (retryable codes, timeouts, connection errors) that eject an instance. @default 5 */
  readonly consecutiveFailures: number;
  /** First ejection time; doubles with each ejection in a row, up to maxEjectionMs. @default 10000 */
  readonly ejectionMs: number;
  /** @default 300000 */
  readonly maxEjectionMs: number;
}

/** Settings of the router service (Route, Fanout, sessions). */
export interface RouterConfig {
  /** Attempts per Route (and session send) when the request gives none. @default 3 */
  readonly maxAttempts: number;
  /** Deadline of one attempt when the request gives none. @default 10000 */
  readonly attemptTimeoutMs: number;
  /** Deadline of a whole Route, Fanout or send when neither the request nor the caller gives a shorter one. @default 30000 */
  readonly timeoutMs: number;
  /** First retry delay; later ones grow exponentially with decorrelated jitter. @default 25 */
  readonly backoffInitialMs: number;
  /** Longest retry delay. @default 1000 */
  readonly backoffMaxMs: number;
  readonly outlier: OutlierConfig;
  /** Idle time after which a session expires, when SpawnSession gives none. @default 1800000 (30 min) */
  readonly sessionTtlMs: number;
  /** How often each replica expires idle sessions and purges old ones. @default 10000 */
  readonly sessionSweepIntervalMs: number;
  /** How long closed and expired sessions (and their history) are kept. @default 86400000 (1 day) */
  readonly sessionRetentionMs: number;
  /** Most history entries handed to an instance that takes a session over. @default 1000 */
  readonly sessionHistoryLimit: number;
}

/** The frozen RouterConfig from the parsed environment. */
export function routerConfigFrom(e: RouterEnv): RouterConfig {
  return Object.freeze({
    maxAttempts: e.ORCHESTRATOR_ROUTE_MAX_ATTEMPTS,
    attemptTimeoutMs: e.ORCHESTRATOR_ROUTE_ATTEMPT_TIMEOUT_MS,
    timeoutMs: e.ORCHESTRATOR_ROUTE_TIMEOUT_MS,
    backoffInitialMs: e.ORCHESTRATOR_ROUTE_BACKOFF_INITIAL_MS,
    backoffMaxMs: e.ORCHESTRATOR_ROUTE_BACKOFF_MAX_MS,
    outlier: Object.freeze({
      consecutiveFailures: e.ORCHESTRATOR_OUTLIER_CONSECUTIVE_FAILURES,
      ejectionMs: e.ORCHESTRATOR_OUTLIER_EJECTION_MS,
      maxEjectionMs: e.ORCHESTRATOR_OUTLIER_MAX_EJECTION_MS,
    }),
    sessionTtlMs: e.ORCHESTRATOR_SESSION_TTL_MS,
    sessionSweepIntervalMs: e.ORCHESTRATOR_SESSION_SWEEP_INTERVAL_MS,
    sessionRetentionMs: e.ORCHESTRATOR_SESSION_RETENTION_MS,
    sessionHistoryLimit: e.ORCHESTRATOR_SESSION_HISTORY_LIMIT,
  });
}

/**
 * The router's defaults (no environment read), with `overrides` on top: for
 * code that routes in-process (the proxyless client of libs/routing) and
 * tests. `outlier` overrides merge into the default outlier settings.
 */
export function defaultRouterConfig(overrides: Partial<Omit<RouterConfig, "outlier">> & { outlier?: Partial<OutlierConfig> } = {}): RouterConfig {
  const base = routerConfigFrom(z.object(routerEnvShape).parse({}));
  return Object.freeze({ ...base, ...overrides, outlier: Object.freeze({ ...base.outlier, ...overrides.outlier }) });
}
