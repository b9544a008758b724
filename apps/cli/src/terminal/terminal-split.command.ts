import { Command, Option } from "commander";
import { globalsOf } from "../global-options.js";
import { createTerminal } from "./create-terminal.js";
import { defaultShell, report } from "./terminal-create.command.js";
import { resolveTerminal } from "./terminal-directory.js";

/**
 * `orchestrator terminal split --terminal <handle> [--direction
 * horizontal|vertical] [--command <cmd>]`: a new terminal in the same
 * worktree as the given one. There is no screen to divide: the direction is
 * recorded (GetTerminal `direction`) and printed.
 */
export function terminalSplitCommand(): Command {
  return new Command("split")
    .description("start another terminal in the same worktree as a terminal (the direction is recorded; there are no panes)")
    .requiredOption("--terminal <handle>", "the terminal to split")
    .addOption(new Option("--direction <direction>", "horizontal (new pane to the right) or vertical (below)").choices(["horizontal", "vertical"]).default("horizontal"))
    .option("--command <cmd>", "the command line to run (default: $SHELL)")
    .addHelpText(
      "after",
      `
Examples:
  $ orchestrator terminal split --terminal term_abc123 --direction vertical --command "npm run watch"
  $ orchestrator terminal split --terminal term_abc123 --json`,
    )
    .action(async (o: { terminal: string; direction: string; command?: string }, command: Command) => {
      const source = await resolveTerminal(command, o.terminal);
      const { terminal } = await source.client.getTerminal({});
      const created = await createTerminal(command, { workdir: terminal!.workdir, command: o.command ?? defaultShell(), title: "", splitFrom: terminal!.name, direction: o.direction });
      report(created, globalsOf(command).json);
    });
}
