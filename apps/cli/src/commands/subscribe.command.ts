import { Command, Option } from "commander";
import { MailboxService } from "@orchestrator/contracts";
import { clientFor, globalsOf } from "../global-options.js";
import { ownHandle } from "../mailbox/own-handle.js";
import { printJson } from "../output/print.js";
import { messageJson, printMessages } from "../output/print-messages.js";

/** `orchestrator subscribe`: stream a handle's messages as they arrive; resumable with --after. */
export function subscribeCommand(): Command {
  return new Command("subscribe")
    .description("stream a handle's messages as they arrive (resume with --after <seq>)")
    .option("--handle <handle>", "whose messages (ORCHESTRATOR_HANDLE)")
    .addOption(new Option("--terminal <handle>", "same as --handle").hideHelp())
    .option("--after <seq>", "resume after this seq (0: every message kept); default: new messages only")
    .option("--types <types>", "only these types, comma-separated")
    .option("--inject", "print banners ready to paste into an agent prompt")
    .addHelpText("after", "\nExamples:\n  $ orchestrator subscribe --handle coordinator\n  $ orchestrator subscribe --after 41 --json   # one JSON object per line, with its seq")
    .action(async (o: { handle?: string; terminal?: string; after?: string; types?: string; inject?: boolean }, command: Command) => {
      const handle = ownHandle(o.handle ?? o.terminal, true);
      if (o.after !== undefined && !/^\d+$/.test(o.after)) throw new Error(`--after must be a seq (a whole number), got "${o.after}"`);
      const types = (o.types ?? "").split(",").map((t) => t.trim()).filter((t) => t !== "");
      const stream = clientFor(MailboxService, command).subscribe(
        { handle, types, ...(o.after !== undefined ? { afterSeq: BigInt(o.after) } : {}) },
        { timeoutMs: 0 },
      );
      const json = globalsOf(command).json;
      for await (const { message } of stream) {
        if (!message) continue;
        if (json) printJson(messageJson(message));
        else if (o.inject) printMessages([message], "inject");
        else process.stdout.write(`#${message.seq}  ${message.from} -> ${message.to}  ${message.type}  ${message.priority === "normal" ? "" : `[${message.priority.toUpperCase()}] `}${message.subject}  (${message.id})\n`);
      }
    });
}
