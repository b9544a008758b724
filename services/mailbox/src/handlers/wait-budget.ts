/** How long a wait blocks when the request says 0: two minutes. */
export const DEFAULT_WAIT_MS = 120_000;

/** Time kept back from the caller's deadline so a wait answers "timed out" instead of failing DEADLINE_EXCEEDED. */
const DEADLINE_MARGIN_MS = 250;

/**
 * The time a waiting Check may block: the requested `timeout_ms` (0 means
 * DEFAULT_WAIT_MS), capped by the call's remaining deadline less a small
 * margin, so the caller gets an answer rather than a deadline error.
 */
export function waitBudget(requestedMs: number, deadlineRemainingMs: number | undefined): number {
  const wanted = requestedMs > 0 ? requestedMs : DEFAULT_WAIT_MS;
  if (deadlineRemainingMs === undefined) return wanted;
  return Math.max(0, Math.min(wanted, deadlineRemainingMs - DEADLINE_MARGIN_MS));
}
