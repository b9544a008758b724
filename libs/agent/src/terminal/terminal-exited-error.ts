import { FailedPreconditionError } from "@orchestrator/errors";

/** Input for a terminal whose command has exited: nothing reads it any more. FAILED_PRECONDITION `terminal_exited`. */
export class TerminalExitedError extends FailedPreconditionError {
  constructor(
    readonly terminal: string,
    readonly exitCode: number,
  ) {
    super(
      "terminal_exited",
      `terminal "${terminal}" has exited (code ${exitCode}): it takes no more input; start another with \`orchestrator terminal create\``,
      { terminal, exitCode: String(exitCode) },
    );
  }
}
