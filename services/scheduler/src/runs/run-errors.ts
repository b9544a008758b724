import { FailedPreconditionError, NotFoundError } from "@orchestrator/errors";
import type { RunStatus } from "./run.js";

/** No run has this id. NOT_FOUND, reason `unknown_run`. */
export class UnknownRunError extends NotFoundError {
  constructor(readonly runId: string) {
    super("run", runId);
  }
}

/** Stopping a run that already ended. FAILED_PRECONDITION, reason `run_finished`. */
export class RunFinishedError extends FailedPreconditionError {
  constructor(
    readonly runId: string,
    readonly runStatus: RunStatus,
  ) {
    super("run_finished", `run "${runId}" has ended already (${runStatus})`, { run: runId, status: runStatus });
  }
}
