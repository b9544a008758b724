import type { OutlierConfig } from "@orchestrator/config";

interface OutlierState {
  /** Consecutive failures since the last success or ejection. */
  failures: number;
  /** Ejections in a row (each doubles the next one), reset by a success. */
  ejections: number;
  /** Ejected until this time (ms since epoch); 0 when never ejected. */
  ejectedUntil: number;
  /** After an ejection ended: the next call is a probe, one at a time. */
  probing: boolean;
  probeInFlight: boolean;
  /** A connection to it failed: treated as down until then (or until the health service reports it back). */
  unreachableUntil: number;
}

/**
 * Passive health of instances, from the router's own calls (Envoy's outlier
 * detection): `consecutiveFailures` failed attempts in a row eject an
 * instance for `ejectionMs`, doubling with each ejection in a row up to
 * `maxEjectionMs`. When the time is up, one call at a time probes it: a
 * success restores it, a failure ejects it again at once. Callers fall back
 * to ejected instances when nothing else is left (panic routing), so
 * ejection never turns a degraded pool into an outage.
 *
 * A connection failure (refused, reset) is stronger evidence: the instance
 * counts as down, like one the health service reports down, for `ejectionMs`
 * or until the health service reports it healthy again.
 */
export class OutlierDetector {
  private readonly states = new Map<string, OutlierState>();

  constructor(
    private readonly config: OutlierConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a call may go to `name` now (not ejected, and no probe already running). */
  available(name: string): boolean {
    const s = this.states.get(name);
    if (!s) return true;
    if (s.ejectedUntil > this.now()) return false;
    if (s.ejectedUntil > 0 && !s.probing) s.probing = true;
    return !(s.probing && s.probeInFlight);
  }

  /** Whether a connection to `name` failed recently (it is treated as down). */
  unreachable(name: string): boolean {
    const s = this.states.get(name);
    return s !== undefined && s.unreachableUntil > this.now();
  }

  /** A call is about to go to `name`; if it is the probe, no other probe starts until it ends. */
  begin(name: string): void {
    const s = this.states.get(name);
    if (s?.probing) s.probeInFlight = true;
  }

  /** The call to `name` succeeded: it is back in full rotation. */
  recordSuccess(name: string): void {
    if (this.states.has(name)) this.states.delete(name);
  }

  /** The call to `name` failed with a retryable outcome (`connection`: it could not be reached at all). */
  recordFailure(name: string, connection: boolean): void {
    const s = this.state(name);
    const now = this.now();
    if (connection) s.unreachableUntil = now + this.config.ejectionMs;
    if (s.probing) {
      this.eject(s, now);
      return;
    }
    s.failures++;
    if (s.failures >= this.config.consecutiveFailures) this.eject(s, now);
  }

  /** The call ended without a verdict (cancelled by the caller): frees the probe slot. */
  recordAbandoned(name: string): void {
    const s = this.states.get(name);
    if (s) s.probeInFlight = false;
  }

  /** The health service reports `name` healthy after a change (restart, re-registration): trust it again. */
  clearUnreachable(name: string): void {
    const s = this.states.get(name);
    if (s) s.unreachableUntil = 0;
  }

  /** Whether `name` is ejected now (for tests and diagnostics). */
  ejected(name: string): boolean {
    return (this.states.get(name)?.ejectedUntil ?? 0) > this.now();
  }

  private eject(s: OutlierState, now: number): void {
    s.ejections++;
    const duration = Math.min(this.config.ejectionMs * 2 ** (s.ejections - 1), this.config.maxEjectionMs);
    s.ejectedUntil = now + duration;
    s.failures = 0;
    s.probing = false;
    s.probeInFlight = false;
  }

  private state(name: string): OutlierState {
    let s = this.states.get(name);
    if (!s) {
      s = { failures: 0, ejections: 0, ejectedUntil: 0, probing: false, probeInFlight: false, unreachableUntil: 0 };
      this.states.set(name, s);
    }
    return s;
  }
}
