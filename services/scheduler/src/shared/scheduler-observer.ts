/**
 * Hooks into the scheduler's progress, for metrics and benchmarks. Called
 * synchronously after the fact; must be cheap and must not throw.
 */
export interface SchedulerObserver {
  /**
   * A run driver committed the completion of these tasks (their dependents
   * were promoted in the same transaction). `committedAt` is when the
   * transaction's COMMIT was sent, in epoch milliseconds with sub-millisecond
   * precision (`performance.timeOrigin + performance.now()`), comparable
   * across processes on one host.
   */
  tasksCompleted?(taskIds: readonly string[], committedAt: number): void;
}
