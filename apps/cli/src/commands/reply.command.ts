import { Command } from "commander";
import { toJson } from "@bufbuild/protobuf";
import { MailboxService, MessageSchema } from "@orchestrator/contracts";
import { clientFor, globalsOf } from "../global-options.js";
import { ownHandle } from "../mailbox/own-handle.js";
import { readBody } from "../mailbox/read-body.js";
import { printJson } from "../output/print.js";
import { printMessages } from "../output/print-messages.js";

/** `orchestrator reply --id ... --body ...`: answer a message, in its thread, to its sender. */
export function replyCommand(): Command {
  return new Command("reply")
    .description("answer a message: to its sender, in the same thread (marks it read)")
    .requiredOption("--id <id>", "the message answered")
    .requiredOption("--body <text>", "the answer; - reads it from stdin")
    .option("--subject <text>", 'defaults to "Re: " and the original subject')
    .option("--type <type>", "status, dispatch, worker_done, merge_ready, escalation, handoff, decision_gate", "status")
    .option("--priority <level>", "normal, high or urgent", "normal")
    .option("--payload <json>", "structured data as JSON text")
    .option("--from <handle>", "replier (ORCHESTRATOR_HANDLE, else the original recipient)")
    .addHelpText("after", '\nExample:\n  $ orchestrator reply --id 3f1c...e2 --body "merged" --type merge_ready')
    .action(async (o: ReplyOptions, command: Command) => {
      const res = await clientFor(MailboxService, command).reply({
        id: o.id,
        body: await readBody(o.body),
        subject: o.subject ?? "",
        type: o.type,
        priority: o.priority,
        payload: o.payload ?? "",
        from: ownHandle(o.from) ?? "",
      });
      if (globalsOf(command).json) printJson(toJson(MessageSchema, res.message!));
      else printMessages([res.message!], "table");
    });
}

interface ReplyOptions {
  id: string;
  body: string;
  subject?: string;
  type: string;
  priority: string;
  payload?: string;
  from?: string;
}
