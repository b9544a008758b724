import { Command, Option } from "commander";
import { MailboxService } from "@orchestrator/contracts";
import { clientFor, globalsOf } from "../global-options.js";
import { ownHandle } from "../mailbox/own-handle.js";
import { printJson } from "../output/print.js";
import { messageJson, printMessages } from "../output/print-messages.js";

/** `orchestrator inbox`: a handle's recent messages, read and unread, newest first. Marks nothing read. */
export function inboxCommand(): Command {
  return new Command("inbox")
    .description("list a handle's recent messages, read and unread, newest first (marks nothing read)")
    .option("--handle <handle>", "whose messages (ORCHESTRATOR_HANDLE)")
    .addOption(new Option("--terminal <handle>", "same as --handle").hideHelp())
    .option("--limit <n>", "page size (default 50)", (v) => Number.parseInt(v, 10))
    .option("--unread", "only unread messages")
    .option("--page-token <token>", "the next page, from the previous page's output")
    .addHelpText("after", "\nExamples:\n  $ orchestrator inbox --limit 20\n  $ orchestrator inbox --handle coordinator --json")
    .action(async (o: { handle?: string; terminal?: string; limit?: number; unread?: boolean; pageToken?: string }, command: Command) => {
      const handle = ownHandle(o.handle ?? o.terminal, true);
      const res = await clientFor(MailboxService, command).inbox({ handle, limit: o.limit ?? 0, unreadOnly: Boolean(o.unread), pageToken: o.pageToken ?? "" });
      if (globalsOf(command).json) {
        printJson({ messages: res.messages.map(messageJson), unreadCount: Number(res.unreadCount), nextPageToken: res.nextPageToken });
        return;
      }
      process.stdout.write(`${handle}: ${res.unreadCount} unread\n`);
      printMessages(res.messages, "table");
      if (res.nextPageToken) process.stdout.write(`more: orchestrator inbox --handle ${handle} --page-token ${res.nextPageToken}\n`);
    });
}
