/**
 * How far ahead of its free slots a run claims: what its slots will take
 * in about this long (ms), at the run's moving-average call time. Held
 * committed here, a claimed task is delivered the moment one of the run's
 * calls ends, so a worker's next task never waits for a step (several
 * round trips and a commit); a step then records and refills a batch of
 * about this many milliseconds' worth, so the fixed cost of the step is
 * shared by more tasks the shorter the calls are.
 */
const PREFETCH_HORIZON_MS = 40;
/** Bounds of the claim-ahead factor (a multiple of the run's max concurrency). */
const PREFETCH_MIN = 3;
const PREFETCH_MAX = 16;
/** Claims ahead only while the run's calls take less than this (moving average): a held dispatch then waits a few of them. */
const PREFETCH_UNDER_MS = 100;
/**
 * Dispatches claimed ahead at most, whatever the run's max concurrency: a
 * step plans, records and holds them all (memory, one statement's size).
 */
const PREFETCH_CAP = 512;
/**
 * Dispatches a run claims beyond its max concurrency: none until a call
 * answered or while calls take PREFETCH_UNDER_MS or more; else what the
 * slots take in PREFETCH_HORIZON_MS, between PREFETCH_MIN and
 * PREFETCH_MAX times the max concurrency, at most PREFETCH_CAP.
 */
export function claimAhead(maxConcurrency: number, callMs: number | undefined): number {
  if (callMs === undefined || callMs >= PREFETCH_UNDER_MS) return 0;
  const factor = Math.min(PREFETCH_MAX, Math.max(PREFETCH_MIN, Math.ceil(PREFETCH_HORIZON_MS / Math.max(callMs, 0.1))));
  return Math.min(PREFETCH_CAP, factor * maxConcurrency);
}
