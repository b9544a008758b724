import type { HealthStatus } from "../instances/instance.js";

/** Thresholds that turn probe outcomes into a health state. */
export interface ProbeThresholds {
  /** Consecutive failures that make an instance `down`. */
  readonly failureThreshold: number;
  /** Consecutive successes that make a non-healthy instance `healthy`. */
  readonly successThreshold: number;
}

/** The running counts of one instance's probes. */
export interface ProbeCounters {
  readonly failures: number;
  readonly successes: number;
}

export const initialCounters: ProbeCounters = { failures: 0, successes: 0 };

/**
 * The probe state machine, pure: given the current health, the counters and
 * one outcome, returns the new counters and the health to move to (or the
 * same health). A failure below the threshold degrades a healthy instance;
 * reaching the threshold makes it down; enough successes in a row make it
 * healthy again (like Kubernetes' failure/success thresholds).
 */
export function nextHealth(
  current: HealthStatus,
  counters: ProbeCounters,
  ok: boolean,
  thresholds: ProbeThresholds,
): { health: HealthStatus; counters: ProbeCounters } {
  if (ok) {
    const next = { failures: 0, successes: counters.successes + 1 };
    const healthy = current === "healthy" || next.successes >= thresholds.successThreshold;
    return { health: healthy ? "healthy" : current, counters: next };
  }
  const next = { failures: counters.failures + 1, successes: 0 };
  if (next.failures >= thresholds.failureThreshold) return { health: "down", counters: next };
  return { health: current === "healthy" ? "degraded" : current, counters: next };
}
