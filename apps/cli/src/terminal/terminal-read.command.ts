import { toJson } from "@bufbuild/protobuf";
import { ReadTerminalResponseSchema } from "@orchestrator/contracts";
import { Command } from "commander";
import { globalsOf } from "../global-options.js";
import { printJson } from "../output/print.js";
import { resolveTerminal } from "./terminal-directory.js";

/** `orchestrator terminal read [--terminal <handle>] [--lines n]`: the last lines of a terminal's screen (at most 120 are kept). */
export function terminalReadCommand(): Command {
  return new Command("read")
    .description("print the last lines of a terminal's screen (up to 120), escape sequences removed")
    .option("--terminal <handle>", "which terminal (default: the one terminal of the current worktree)")
    .option("--lines <n>", "only the last n lines (default: all kept, 120)", parseLines)
    .addHelpText(
      "after",
      `
The buffer is for watching progress; prefer a worker_done payload for results.

Examples:
  $ orchestrator terminal read --terminal term_abc123 --json
  $ orchestrator terminal read --lines 20`,
    )
    .action(async (o: { terminal?: string; lines?: number }, command: Command) => {
      const { client } = await resolveTerminal(command, o.terminal);
      const res = await client.readTerminal({ lines: o.lines ?? 0 });
      if (globalsOf(command).json) printJson(toJson(ReadTerminalResponseSchema, res));
      else process.stdout.write(res.lines.length > 0 ? `${res.lines.join("\n")}\n` : "");
    });
}

function parseLines(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > 120) throw new Error(`--lines must be a whole number from 1 to 120, got "${text}"`);
  return n;
}
