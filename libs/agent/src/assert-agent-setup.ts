import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { AgentConfigError } from "./agent-config-error.js";

/** An example of a complete command line, for messages. */
export const AGENT_EXAMPLE = "orchestrator agent --name kite-1 --pool kite --workdir ~/kite -- claude -p";

/** What assertAgentSetup checks. */
export interface AgentSetup {
  /** The agent command and its arguments. */
  readonly command: readonly string[];
  readonly workdir: string;
  /** PATH to find the command on. @default "" (only commands given as paths are found) */
  readonly path?: string;
}

/**
 * Fails fast, before the runner touches the network, when the agent could
 * never run: no command, a workdir that is missing or no directory, or a
 * command that is neither an executable path (relative to the workdir) nor
 * found on PATH. Each AgentConfigError says what to fix. Answers the
 * absolute workdir.
 */
export function assertAgentSetup(setup: AgentSetup): string {
  const [program] = setup.command;
  if (program === undefined || program.trim() === "") {
    throw new AgentConfigError("command", `no agent command: put it after --, e.g. ${AGENT_EXAMPLE}`);
  }
  const workdir = resolve(setup.workdir);
  const stat = statSync(workdir, { throwIfNoEntry: false });
  if (!stat) {
    throw new AgentConfigError("workdir", `workdir ${workdir} does not exist: create it (mkdir -p ${workdir}) or pass the agent's working copy with --workdir`);
  }
  if (!stat.isDirectory()) {
    throw new AgentConfigError("workdir", `workdir ${workdir} is not a directory: pass the directory the agent works in with --workdir`);
  }
  if (!findExecutable(program, workdir, setup.path ?? "")) {
    throw new AgentConfigError(
      "command",
      program.includes("/")
        ? `agent command ${resolve(workdir, program)} is not an executable file: check the path (relative paths start at --workdir)`
        : `agent command "${program}" was not found on PATH: install it, or give its full path after --`,
    );
  }
  return workdir;
}

/** Whether `program` is what a shell would run: a path (resolved against `cwd`) or a name on `path`. */
function findExecutable(program: string, cwd: string, path: string): boolean {
  if (program.includes("/")) return isExecutableFile(isAbsolute(program) ? program : join(cwd, program));
  return path.split(delimiter).some((dir) => dir !== "" && isExecutableFile(join(dir, program)));
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
