import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./load-config.js";
import { defaultRouterConfig } from "./router-config.js";

describe("router configuration", () => {
  it("defaults: 3 attempts, 10 s per attempt, 30 s overall, outlier ejection after 5 failures, 30 min session ttl", () => {
    const { router } = loadConfig({});
    expect(router).toEqual({
      maxAttempts: 3,
      attemptTimeoutMs: 10_000,
      timeoutMs: 30_000,
      backoffInitialMs: 25,
      backoffMaxMs: 1000,
      outlier: { consecutiveFailures: 5, ejectionMs: 10_000, maxEjectionMs: 300_000 },
      sessionTtlMs: 1_800_000,
      sessionSweepIntervalMs: 10_000,
      sessionRetentionMs: 86_400_000,
      sessionHistoryLimit: 1000,
    });
    expect(Object.isFrozen(router)).toBe(true);
    expect(Object.isFrozen(router.outlier)).toBe(true);
  });

  it("reads the ORCHESTRATOR_ROUTE_*, OUTLIER_* and SESSION_* variables", () => {
    const { router } = loadConfig({
      ORCHESTRATOR_ROUTE_MAX_ATTEMPTS: "5",
      ORCHESTRATOR_ROUTE_ATTEMPT_TIMEOUT_MS: "2000",
      ORCHESTRATOR_OUTLIER_CONSECUTIVE_FAILURES: "2",
      ORCHESTRATOR_SESSION_TTL_MS: "60000",
    });
    expect(router).toMatchObject({ maxAttempts: 5, attemptTimeoutMs: 2000, outlier: { consecutiveFailures: 2 }, sessionTtlMs: 60_000 });
  });

  it("names a bad variable", () => {
    expect(() => loadConfig({ ORCHESTRATOR_ROUTE_MAX_ATTEMPTS: "0" })).toThrow(ConfigError);
    expect(() => loadConfig({ ORCHESTRATOR_ROUTE_MAX_ATTEMPTS: "0" })).toThrow(/ORCHESTRATOR_ROUTE_MAX_ATTEMPTS/);
  });

  it("defaultRouterConfig: the same defaults without reading the environment, overrides merged (outlier too)", () => {
    expect(defaultRouterConfig()).toEqual(loadConfig({}).router);
    const tuned = defaultRouterConfig({ maxAttempts: 2, outlier: { ejectionMs: 50 } });
    expect(tuned).toMatchObject({ maxAttempts: 2, timeoutMs: 30_000, outlier: { consecutiveFailures: 5, ejectionMs: 50, maxEjectionMs: 300_000 } });
    expect(Object.isFrozen(tuned.outlier)).toBe(true);
  });
});
