/**
 * How a dispatch ended, as reported to whoever settles it: the instance's
 * answer (`completed`, `failed`), the deadline or the instance's death
 * (`timed_out`), or the loss of the replica that drove it (`abandoned`,
 * not held against the instance).
 */
export type Outcome =
  | { readonly kind: "completed"; readonly contextId: string; readonly taskId: string; readonly result: unknown; readonly traceId?: string; readonly servedBy?: string }
  | { readonly kind: "failed" | "timed_out" | "abandoned"; readonly contextId: string; readonly taskId: string; readonly error: string; readonly traceId?: string };

/** Receives outcomes of launched dispatches. */
export type OutcomeSink = (outcome: Outcome) => void;
