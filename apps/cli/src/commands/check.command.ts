import { Command, Option } from "commander";
import { MailboxService } from "@orchestrator/contracts";
import { clientFor, globalsOf } from "../global-options.js";
import { ownHandle } from "../mailbox/own-handle.js";
import { showWaitProgress } from "../mailbox/wait-progress.js";
import { waitTimeoutOption } from "../options/wait-timeout-option.js";
import { printJson } from "../output/print.js";
import { messageJson, printMessages } from "../output/print-messages.js";
import { describeTransient } from "../streams/describe-transient.js";
import { retryingWait } from "../streams/reattaching.js";

/** How long `check --wait` waits without --timeout-ms. */
export const DEFAULT_WAIT_TIMEOUT_MS = 120_000;
/** Deadline of the call beyond the wait itself. */
const CALL_MARGIN_MS = 10_000;

/**
 * `orchestrator check`: a handle's messages, urgent first; `--wait` blocks
 * until one arrives. Returned messages are marked read unless --peek, so a
 * coordinator can loop on `check --wait` and get each message once.
 */
export function checkCommand(): Command {
  return new Command("check")
    .description("read a handle's messages (urgent first); --wait blocks until one arrives")
    .option("--handle <handle>", "whose messages (ORCHESTRATOR_HANDLE)")
    .addOption(new Option("--terminal <handle>", "same as --handle").hideHelp())
    .option("--unread", "only unread messages")
    .option("--types <types>", "only these types, comma-separated (e.g. worker_done,escalation)")
    .option("--limit <n>", "most messages returned (default 50)", (v) => Number.parseInt(v, 10))
    .option("--wait", "block until an unread matching message arrives (or --timeout-ms passes)")
    .option("--timeout-ms <ms>", `how long --wait waits (default ${DEFAULT_WAIT_TIMEOUT_MS})`)
    .option("--inject", "print banners with [HIGH]/[URGENT] markers, ready to paste into an agent prompt")
    .option("--peek", "leave the messages unread")
    .addHelpText(
      "after",
      `
Examples:
  $ orchestrator check --unread
  $ orchestrator check --wait --types worker_done,escalation --timeout-ms 300000 --json
  $ ORCHESTRATOR_HANDLE=kite-1 orchestrator check --unread --inject`,
    )
    .action(async (o: CheckOptions, command: Command) => {
      const handle = ownHandle(o.handle ?? o.terminal, true);
      const globals = globalsOf(command);
      const waitMs = waitTimeoutOption(o.timeoutMs, command, DEFAULT_WAIT_TIMEOUT_MS);
      const types = (o.types ?? "").split(",").map((t) => t.trim()).filter((t) => t !== "");
      const stop = o.wait && !globals.json && !o.inject ? showWaitProgress(`${types.join("/") || "messages"} to ${handle}`, waitMs) : () => {};
      try {
        const client = clientFor(MailboxService, command);
        const check = (remainingMs: number) =>
          client.check(
            { handle, unreadOnly: Boolean(o.unread), types, limit: o.limit ?? 0, markRead: !o.peek, wait: Boolean(o.wait), timeoutMs: o.wait ? remainingMs : 0 },
            o.wait ? { timeoutMs: remainingMs + CALL_MARGIN_MS } : {},
          );
        // A wait survives a database restart or a replaced mailbox replica: ask again with what is left of it.
        const res = o.wait
          ? await retryingWait(check, waitMs, (err, attempt) => process.stderr.write(`connection lost (${describeTransient(err)}); waiting again (attempt ${attempt})\n`))
          : await check(0);
        stop();
        if (globals.json) printJson({ messages: res.messages.map(messageJson), timedOut: res.timedOut });
        else if (o.inject) printMessages(res.messages, "inject");
        else if (res.timedOut) process.stderr.write(`no message after ${Math.round(waitMs / 1000)}s\n`);
        else printMessages(res.messages, "table");
      } finally {
        stop();
      }
    });
}

interface CheckOptions {
  timeoutMs?: string;
  handle?: string;
  terminal?: string;
  unread?: boolean;
  types?: string;
  limit?: number;
  wait?: boolean;
  inject?: boolean;
  peek?: boolean;
}
