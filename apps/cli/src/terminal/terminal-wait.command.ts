import { toJson } from "@bufbuild/protobuf";
import { DEFAULT_TERMINAL_WAIT_MS } from "@orchestrator/agent";
import { WaitTerminalResponseSchema } from "@orchestrator/contracts";
import { Command } from "commander";
import { globalsOf } from "../global-options.js";
import { waitTimeoutOption } from "../options/wait-timeout-option.js";
import { printJson } from "../output/print.js";
import { resolveTerminal } from "./terminal-directory.js";

/** Deadline of the call beyond the wait itself. */
const CALL_MARGIN_MS = 10_000;

/**
 * `orchestrator terminal wait [--terminal <handle>] --for exit|tui-idle
 * [--timeout-ms n]`: blocks until the terminal's command exits, or its
 * screen is idle. Exit code 0 when what was asked for happened, 1 on a
 * timeout (or an exit while waiting for tui-idle).
 */
export function terminalWaitCommand(): Command {
  return new Command("wait")
    .description("wait until a terminal's command exits (--for exit) or its screen goes idle (--for tui-idle)")
    .option("--terminal <handle>", "which terminal (default: the one terminal of the current worktree)")
    .requiredOption("--for <condition>", "exit, or tui-idle: output seen, then nothing written or typed for a quiet period")
    .option("--timeout-ms <ms>", `how long to wait (default ${DEFAULT_TERMINAL_WAIT_MS}); always pass it, real tasks take long`)
    .option("--quiet-ms <ms>", "tui-idle: how long the screen must stay quiet (default 1000)")
    .addHelpText(
      "after",
      `
Exit code 0 when the condition happened; 1 on a timeout, or when the command
exited while waiting for tui-idle.

Examples:
  $ orchestrator terminal wait --terminal term_abc123 --for tui-idle --timeout-ms 60000 --json
  $ orchestrator terminal wait --for exit --timeout-ms 300000`,
    )
    .action(async (o: { terminal?: string; for: string; timeoutMs?: string; quietMs?: string }, command: Command) => {
      const waitMs = waitTimeoutOption(o.timeoutMs, command, DEFAULT_TERMINAL_WAIT_MS);
      const quietMs = o.quietMs === undefined ? 0 : Number(o.quietMs);
      if (!Number.isInteger(quietMs)) throw new Error(`--quiet-ms must be a whole number of milliseconds, got "${o.quietMs}"`);
      const { client, instance } = await resolveTerminal(command, o.terminal, waitMs + CALL_MARGIN_MS);
      const res = await client.waitTerminal({ for: o.for, timeoutMs: waitMs, quietMs });
      if (globalsOf(command).json) printJson(toJson(WaitTerminalResponseSchema, res));
      else if (res.outcome === "timeout") process.stderr.write(`${instance.name}: no ${o.for} after ${(res.waitedMs / 1000).toFixed(1)} s\n`);
      else process.stdout.write(`${instance.name}: ${res.outcome === "exit" ? `exited ${res.terminal!.exitCode}` : "idle"} after ${(res.waitedMs / 1000).toFixed(1)} s\n`);
      if (res.outcome !== o.for) process.exitCode = 1;
    });
}
