import type { Terminal } from "@orchestrator/contracts";
import { Command } from "commander";
import { globalsOf } from "../global-options.js";
import { printJson } from "../output/print.js";
import { createTerminal } from "./create-terminal.js";
import { terminalJson } from "./print-terminal.js";
import { listTerminals, terminalClient } from "./terminal-directory.js";
import { parseWorktreeSelector } from "./terminal-worktree.js";

/**
 * `orchestrator terminal create [--worktree <selector>] [--title <text>]
 * [--command <cmd>]`: a new terminal (see createTerminal), in the current
 * worktree, a directory, or the worktree of a terminal already there.
 */
export function terminalCreateCommand(): Command {
  return new Command("create")
    .description("start a terminal running a command (default: your shell) in a worktree; prints its handle")
    .option("--worktree <selector>", "active (the current directory's worktree, the default), a path, or the id of a worktree a terminal runs in")
    .option("--title <text>", "the terminal's title")
    .option("--command <cmd>", "the command line to run, e.g. claude (default: $SHELL)")
    .addHelpText(
      "after",
      `
The terminal runs under a pseudo-terminal held by a background process, and
is an instance (kind agent, pool terminals, labels worktree=<id>, agent=<kind>
for claude, codex, gemini and opencode), so @worktree:<id> and @claude reach
it. Its command sees ORCHESTRATOR_HANDLE=<handle>.

Examples:
  $ orchestrator terminal create --worktree active --title "worker-1" --command "claude" --json
  $ orchestrator terminal create --command bash
  $ orchestrator terminal create --worktree ~/src/kite --title build --command "npm test"`,
    )
    .action(async (o: { worktree?: string; title?: string; command?: string }, command: Command) => {
      const workdir = await workdirOf(command, o.worktree);
      const created = await createTerminal(command, { workdir, command: o.command ?? defaultShell(), title: o.title ?? "" });
      report(created, globalsOf(command).json);
    });
}

/** Prints a created terminal: `{handle, terminal}` with --json, its handle and where it runs otherwise. */
export function report(created: { terminal: Terminal; registered: boolean }, json: boolean): void {
  const t = created.terminal;
  if (!created.registered) process.stderr.write(`warning: ${t.name} is not registered yet (the control plane did not answer its host); it retries every second\n`);
  if (json) {
    printJson({ handle: t.name, terminal: terminalJson(t) });
    return;
  }
  process.stdout.write(`handle: ${t.name}\n`);
  process.stdout.write(`  ${t.command} in worktree ${t.worktree} (${t.workdir}), pid ${t.pid}${t.splitFrom ? `, split ${t.direction} from ${t.splitFrom}` : ""}\n`);
}

/** The shell a terminal runs when no command is given. */
export function defaultShell(): string {
  return process.env["SHELL"] || "/bin/sh";
}

/** The directory `--worktree` names: a directory, or (an id) the workdir of a terminal in that worktree. */
async function workdirOf(command: Command, text: string | undefined): Promise<string> {
  const selector = parseWorktreeSelector(text);
  if (selector.kind === "dir") return selector.dir;
  for (const instance of await listTerminals(command, selector.id)) {
    try {
      const { terminal } = await terminalClient(instance, command, 5000).client.getTerminal({});
      if (terminal?.workdir) return terminal.workdir;
    } catch {
      // that host does not answer: try the next
    }
  }
  throw new Error(`--worktree "${text}": no such directory, and no terminal runs in a worktree with that id; pass active, a path, or the id of a terminal's worktree (see orchestrator terminal list)`);
}
