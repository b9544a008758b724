import type { Command } from "commander";

/** Options of `orchestrator reset` that targets may read. */
export interface ResetOptions {
  /** Limit the reset to one handle (targets that have handles). */
  readonly handle?: string;
}

/** What one target cleared, for the summary line and --json. */
export interface ResetOutcome {
  readonly target: string;
  readonly deleted: number;
  /** Extra detail for people ("of handle coordinator"). */
  readonly detail?: string;
}

/**
 * One thing `orchestrator reset` can clear, enabled by the flag `--<flag>`
 * and included in `--all`. Services add theirs to RESET_TARGETS.
 */
export interface ResetTarget {
  /** Flag name without dashes: "messages", "tasks". */
  readonly flag: string;
  /** Help text of the flag. */
  readonly description: string;
  /** Clears it through the owning service's RPC. */
  run(command: Command, options: ResetOptions): Promise<ResetOutcome>;
}
