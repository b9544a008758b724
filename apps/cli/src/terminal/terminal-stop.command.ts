import { Command } from "commander";
import { globalsOf } from "../global-options.js";
import { printJson } from "../output/print.js";
import { terminalJson } from "./print-terminal.js";
import { resolveTerminal } from "./terminal-directory.js";

/** Longest a stop may take: the host's grace before SIGKILL, and more. */
const STOP_DEADLINE_MS = 15_000;

/** `orchestrator terminal stop [--terminal <handle>]`: ends a terminal's command; the terminal stays (exited) until closed. */
export function terminalStopCommand(): Command {
  return new Command("stop")
    .description("end a terminal's command (SIGHUP, as closing its window does; SIGKILL after 2 s); read and show still work until close")
    .option("--terminal <handle>", "which terminal (default: the one terminal of the current worktree)")
    .addHelpText("after", "\nExamples:\n  $ orchestrator terminal stop --terminal term_abc123\n  $ orchestrator terminal stop --json")
    .action(async (o: { terminal?: string }, command: Command) => {
      const { client } = await resolveTerminal(command, o.terminal, STOP_DEADLINE_MS);
      const { terminal } = await client.stopTerminal({});
      if (globalsOf(command).json) printJson({ terminal: terminalJson(terminal!) });
      else process.stdout.write(`${terminal!.name} stopped: exit ${terminal!.exitCode}\n`);
    });
}
