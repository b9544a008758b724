import { Command } from "commander";
import { globalsOf } from "../global-options.js";
import { printJson } from "../output/print.js";
import { printTerminalDetail, terminalJson } from "./print-terminal.js";
import { resolveTerminal } from "./terminal-directory.js";

/** `orchestrator terminal show --terminal <handle>`: one terminal: command, worktree, status, pid, exit code. */
export function terminalShowCommand(): Command {
  return new Command("show")
    .description("show a terminal: handle, title, command, agent, worktree, status, pid, exit code")
    .option("--terminal <handle>", "which terminal (default: the one terminal of the current worktree)")
    .addHelpText("after", "\nExamples:\n  $ orchestrator terminal show --terminal term_abc123\n  $ orchestrator terminal show --terminal term_abc123 --json")
    .action(async (o: { terminal?: string }, command: Command) => {
      const { client } = await resolveTerminal(command, o.terminal);
      const { terminal } = await client.getTerminal({});
      if (globalsOf(command).json) printJson({ terminal: terminalJson(terminal!) });
      else printTerminalDetail(terminal!);
    });
}
