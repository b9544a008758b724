import type { AgentCommandExit } from "./run-agent-command.js";
import { formatDuration } from "./format-duration.js";

/** Why a run did not complete, as an escalation tells it. */
export interface RunFailure {
  /** payload.error: `exit 3`, `timed out after 30m`, `agent kite-1 shut down mid-task`, ... */
  readonly error: string;
  /** payload.exitCode, when the command exited with one. */
  readonly exitCode?: number;
  /** The escalation's subject. */
  readonly subject: string;
}

/**
 * The failure of a run that did not exit 0, or undefined when it did:
 * a non-zero exit, a signal, a timeout (`timeoutMs` is the deadline it
 * had), a shutdown of the runner (`aborted`), or a command that could not
 * start.
 */
export function runFailure(exit: AgentCommandExit, taskId: string, agent: string, timeoutMs: number): RunFailure | undefined {
  const failed = (error: string, exitCode?: number): RunFailure => ({ error, subject: `task ${taskId} failed: ${error}`, ...(exitCode === undefined ? {} : { exitCode }) });
  switch (exit.outcome) {
    case "timed_out": {
      const error = `timed out after ${formatDuration(timeoutMs)}`;
      return { error, subject: `task ${taskId} ${error}` };
    }
    case "aborted":
      return failed(`agent ${agent} shut down mid-task`);
    case "spawn_failed":
      return failed(`could not start the agent command: ${exit.error ?? "unknown error"}`);
    case "exited":
      if (exit.exitCode === 0) return undefined;
      return exit.exitCode === null ? failed(`killed by ${exit.signal ?? "a signal"}`) : failed(`exit ${exit.exitCode}`, exit.exitCode);
  }
}
