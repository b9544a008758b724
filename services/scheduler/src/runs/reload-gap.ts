/** Shortest time between the starts of two progress reloads of one WatchRun stream. */
export const WATCH_MIN_INTERVAL_MS = 100;

/** A stream spends at most 1/RELOAD_SHARE of its time reloading. */
const RELOAD_SHARE = 20;

/**
 * The time from the start of a WatchRun stream's reload to the start of its
 * next one, given how long the last took: 100 ms, or 20 times that. A
 * reload counts the run's tasks, so it grows with the run (about 24 ms for
 * 100,000 tasks here): a watcher then reloads every 480 ms and keeps a
 * database backend busy 5% of the time, not 24%, however big the run.
 */
export function reloadGap(lastReloadMs: number): number {
  return Math.max(WATCH_MIN_INTERVAL_MS, RELOAD_SHARE * lastReloadMs);
}
