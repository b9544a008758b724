import { Command } from "commander";
import { globalsOf } from "../global-options.js";
import { agentClient } from "./agent-client.js";
import { printOutputLines } from "./print-output-lines.js";

/**
 * `orchestrator agent tail <name> [--lines n] [--follow]`: an agent's
 * recent output, like attaching to its terminal; with --follow, new lines
 * as they are written until Ctrl-C (which ends it cleanly, exit 0).
 */
export function agentTailCommand(): Command {
  return new Command("tail")
    .description("show an agent's recent output; --follow streams new lines (Ctrl-C to stop)")
    .argument("<name>", "the agent's name")
    .option("-n, --lines <n>", "recent lines to show first (default 50, at most the runner's --output-lines)", parseLines)
    .option("-f, --follow", "keep streaming new lines")
    .addHelpText(
      "after",
      `
Examples:
  $ orchestrator agent tail kite-1
  $ orchestrator agent tail kite-1 --follow --lines 200
  $ orchestrator agent tail kite-1 --json          # one JSON object per line: seq, stream, text, at, taskId`,
    )
    .action(async (name: string, o: { lines?: number; follow?: boolean }, command: Command) => {
      const client = await agentClient(name, command);
      const json = globalsOf(command).json;
      const abort = new AbortController();
      const stop = () => abort.abort();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      let last = 0n;
      try {
        const stream = client.tailOutput({ lines: o.lines ?? 0, follow: Boolean(o.follow) }, { signal: abort.signal, ...(o.follow ? { timeoutMs: 0 } : {}) });
        for await (const res of stream) last = printOutputLines(res.lines, json, last);
      } catch (error) {
        if (!abort.signal.aborted) throw error;
      } finally {
        process.removeListener("SIGINT", stop);
        process.removeListener("SIGTERM", stop);
      }
    });
}

function parseLines(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n > 100_000) throw new Error(`--lines must be a whole number up to 100000, got "${text}"`);
  return n;
}
