import type { ProbeConfig } from "@orchestrator/config";

/** Probe settings for tests: the production defaults, tightened so suites stay quick. */
export function fastProbe(overrides: Partial<ProbeConfig> = {}): ProbeConfig {
  return { intervalMs: 100, timeoutMs: 200, failureThreshold: 2, successThreshold: 1, heartbeatTimeoutMs: 600, ...overrides };
}
