import { rmSync } from "node:fs";
import { Command } from "commander";
import { globalsOf } from "../global-options.js";
import { printJson } from "../output/print.js";
import { terminalJson } from "./print-terminal.js";
import { terminalLogPath } from "./spawn-terminal-host.js";
import { resolveTerminal } from "./terminal-directory.js";

/** Longest a close may take: stopping the command, then deregistering. */
const CLOSE_DEADLINE_MS = 20_000;

/** `orchestrator terminal close [--terminal <handle>]`: ends a terminal: its command, its host, its registration. */
export function terminalCloseCommand(): Command {
  return new Command("close")
    .description("close a terminal: end its command and its host; it leaves terminal list and the health registry")
    .option("--terminal <handle>", "which terminal (default: the one terminal of the current worktree)")
    .addHelpText("after", "\nExamples:\n  $ orchestrator terminal close --terminal term_abc123\n  $ orchestrator terminal close --json")
    .action(async (o: { terminal?: string }, command: Command) => {
      const { client } = await resolveTerminal(command, o.terminal, CLOSE_DEADLINE_MS);
      const { terminal } = await client.closeTerminal({});
      rmSync(terminalLogPath(terminal!.name), { force: true });
      if (globalsOf(command).json) printJson({ closed: true, terminal: terminalJson(terminal!) });
      else process.stdout.write(`${terminal!.name} closed (exit ${terminal!.exitCode})\n`);
    });
}
