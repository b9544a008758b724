import { TITLE_LABEL } from "@orchestrator/agent";
import type { Terminal } from "@orchestrator/contracts";
import { WORKTREE_LABEL } from "@orchestrator/selector";
import { Command } from "commander";
import { globalsOf } from "../global-options.js";
import { printJson } from "../output/print.js";
import { printTerminals, terminalJson } from "./print-terminal.js";
import { listTerminals, terminalClient } from "./terminal-directory.js";
import { parseWorktreeSelector } from "./terminal-worktree.js";

/** How long `terminal list` waits for each host's answer. */
const HOST_TIMEOUT_MS = 3000;

/** `orchestrator terminal list [--worktree <selector>]`: the registered terminals, each as its host shows it. */
export function terminalListCommand(): Command {
  return new Command("list")
    .description("list terminals: handle, title, worktree, state (running, idle, exited N), pid, command")
    .option("--worktree <selector>", "only those of this worktree: active (the current directory's), a path, or a worktree id")
    .addHelpText(
      "after",
      `
Examples:
  $ orchestrator terminal list
  $ orchestrator terminal list --worktree active --json
  $ orchestrator terminal list --worktree wt-api`,
    )
    .action(async (o: { worktree?: string }, command: Command) => {
      const worktree = o.worktree === undefined ? undefined : parseWorktreeSelector(o.worktree).id;
      const instances = await listTerminals(command, worktree);
      const rows = await Promise.all(
        instances.map(async (i) => {
          let terminal: Terminal | undefined;
          try {
            terminal = (await terminalClient(i, command, HOST_TIMEOUT_MS).client.getTerminal({})).terminal;
          } catch {
            // its host does not answer: listed from the registry alone
          }
          return { name: i.name, worktree: i.labels[WORKTREE_LABEL] ?? "", title: i.labels[TITLE_LABEL] ?? "", terminal };
        }),
      );
      if (globalsOf(command).json) {
        printJson({ terminals: rows.map((r) => (r.terminal ? terminalJson(r.terminal) : { name: r.name, worktree: r.worktree, title: r.title, status: "unreachable" })) });
      } else printTerminals(rows);
    });
}
