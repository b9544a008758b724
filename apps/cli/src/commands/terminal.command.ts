import { Command } from "commander";
import { terminalCloseCommand } from "../terminal/terminal-close.command.js";
import { terminalCreateCommand } from "../terminal/terminal-create.command.js";
import { terminalHostCommand } from "../terminal/terminal-host.command.js";
import { terminalListCommand } from "../terminal/terminal-list.command.js";
import { terminalReadCommand } from "../terminal/terminal-read.command.js";
import { terminalSendCommand } from "../terminal/terminal-send.command.js";
import { terminalShowCommand } from "../terminal/terminal-show.command.js";
import { terminalSplitCommand } from "../terminal/terminal-split.command.js";
import { terminalStopCommand } from "../terminal/terminal-stop.command.js";
import { terminalWaitCommand } from "../terminal/terminal-wait.command.js";

/**
 * `orchestrator terminal list|create|split|read|send|wait|show|stop|close`:
 * Orca's terminal commands for coordinators. A terminal is a command (a
 * shell, an agent's TUI) under a pseudo-terminal, held by a background
 * `terminal host` process and registered as an instance; its handle is the
 * instance name.
 */
export function terminalCommand(): Command {
  return new Command("terminal")
    .description("terminals for coordinators: start agents' TUIs and shells, type into them, read them, wait for them")
    .addCommand(terminalListCommand())
    .addCommand(terminalCreateCommand())
    .addCommand(terminalSplitCommand())
    .addCommand(terminalReadCommand())
    .addCommand(terminalSendCommand())
    .addCommand(terminalWaitCommand())
    .addCommand(terminalShowCommand())
    .addCommand(terminalStopCommand())
    .addCommand(terminalCloseCommand())
    .addCommand(terminalHostCommand(), { hidden: true })
    .addHelpText(
      "after",
      `
--terminal is optional for most commands: without it, the one terminal of the
current directory's worktree. Handles last as long as their terminal: re-read
them with terminal list.

Examples:
  $ orchestrator terminal create --worktree active --title "worker-1" --command "claude" --json
  $ orchestrator terminal wait --terminal term_abc123 --for tui-idle --timeout-ms 60000 --json
  $ orchestrator terminal send --terminal term_abc123 --text "run the tests" --enter
  $ orchestrator terminal read --terminal term_abc123 --json
  $ orchestrator terminal close --terminal term_abc123`,
    );
}
