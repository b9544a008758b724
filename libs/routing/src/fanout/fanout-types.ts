import type { Value } from "@bufbuild/protobuf/wkt";
import type { AttemptRecord } from "../delivery/attempt.js";

/** How a fanout combines answers (FanoutRequest.aggregate). */
export type AggregateMode = "all" | "first" | "quorum" | "merge";

/** How one target ended. */
export type OutcomeStatus = "ok" | "error" | "timeout" | "cancelled";

/** One target's outcome. */
export interface TargetOutcome {
  readonly instance: string;
  readonly status: OutcomeStatus;
  /** gRPC code name: `OK`, `UNAVAILABLE`, `DEADLINE_EXCEEDED`, `CANCELLED`, ... */
  readonly code: string;
  readonly message: string;
  /** Machine-readable cause of a failure: `instance_down`, `timeout`, `cancelled`, ... */
  readonly reason: string;
  readonly result: Value | undefined;
  /** From the fanout's start until this outcome. */
  readonly latencyMs: number;
  readonly attempts: readonly AttemptRecord[];
}

/** The aggregate, once every target has an outcome. */
export interface FanoutSummaryData {
  readonly aggregate: AggregateMode;
  readonly result: Value | undefined;
  readonly satisfied: boolean;
  readonly timedOut: boolean;
  readonly succeeded: number;
  readonly failed: number;
  readonly workId: string;
  /** The winning instance (`first` only). */
  readonly winner: string;
  /** Every target's outcome, in target order. */
  readonly outcomes: readonly TargetOutcome[];
}

/** What a fanout yields: each outcome as it arrives, then the summary. */
export type FanoutEvent = { readonly kind: "result"; readonly outcome: TargetOutcome } | { readonly kind: "summary"; readonly summary: FanoutSummaryData };

/** A Fanout request, as the service takes it (defaults not yet applied). */
export interface FanoutInput {
  /** Selector texts; request field `targets`. */
  readonly targets: readonly string[];
  readonly payload: Value;
  /** Per-instance payloads by name; every key must be a target. */
  readonly payloads: Readonly<Record<string, Value>>;
  readonly aggregate: AggregateMode;
  /** Successes needed with `quorum`; must be 0 otherwise. */
  readonly quorum: number;
  readonly timeoutMs?: number;
  /** 0: every target at once. */
  readonly maxConcurrency: number;
  /** Attempts per target (≥ 1), on that target. */
  readonly maxAttempts: number;
  readonly workId?: string;
  readonly metadata: Readonly<Record<string, string>>;
}
