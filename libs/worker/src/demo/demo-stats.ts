/** What the demo handlers of this process have done. */
export interface DemoStats {
  /** Calls stopped by cancellation (caller cancelled or deadline passed). */
  cancelled: number;
  /** Calls answered with a result (stats queries excluded). */
  executed: number;
  /** Calls answered with a demo failure (`demo.fail`). */
  failed: number;
}

const stats: DemoStats = { cancelled: 0, executed: 0, failed: 0 };
const failuresByKey = new Map<string, number>();

/** A snapshot of this process's demo counters (shared by every demo handler in it). */
export function demoStats(): DemoStats {
  return { ...stats };
}

/** Counts one outcome. Internal to the demo handler. */
export function countDemo(outcome: keyof DemoStats): void {
  stats[outcome]++;
}

/**
 * Records one call carrying `key` and tells whether it is still within the
 * first `fail` calls (so it should fail). Counts per key, per process.
 */
export function shouldFailDemo(key: string, fail: number): boolean {
  const seen = (failuresByKey.get(key) ?? 0) + 1;
  failuresByKey.set(key, seen);
  return seen <= fail;
}
