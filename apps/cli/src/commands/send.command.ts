import { Command } from "commander";
import { toJson } from "@bufbuild/protobuf";
import { MailboxService, SendResponseSchema } from "@orchestrator/contracts";
import { clientFor, globalsOf } from "../global-options.js";
import { ownHandle } from "../mailbox/own-handle.js";
import { readBody } from "../mailbox/read-body.js";
import { printJson } from "../output/print.js";
import { printMessages } from "../output/print-messages.js";

/** `orchestrator send --to <handle|@group> --subject ...`: one message per recipient, one thread. */
export function sendCommand(): Command {
  return new Command("send")
    .description("send a message to a handle or a group (one message per recipient, one thread id)")
    .requiredOption("--to <handle|@group>", "a handle, or @all, @idle, @healthy, @pool:NAME, @label:K=V, A-H, kite-*")
    .requiredOption("--subject <text>", "one line saying what it is about")
    .option("--body <text>", "free text; - reads it from stdin")
    .option("--type <type>", "status, dispatch, worker_done, merge_ready, escalation, handoff, decision_gate", "status")
    .option("--priority <level>", "normal, high or urgent", "normal")
    .option("--thread-id <id>", "add to this thread (a new one when absent)")
    .option("--payload <json>", "structured data as JSON text")
    .option("--from <handle>", "sender (ORCHESTRATOR_HANDLE)")
    .addHelpText(
      "after",
      `
Examples:
  $ orchestrator send --to @idle --subject build --type dispatch --priority high
  $ orchestrator send --to coordinator --subject "t1 done" --type worker_done --payload '{"task":"t1"}'
  $ git log -1 | orchestrator send --to @pool:kite --subject "new base" --body -`,
    )
    .action(async (o: SendOptions, command: Command) => {
      const res = await clientFor(MailboxService, command).send({
        to: o.to,
        subject: o.subject,
        body: await readBody(o.body),
        type: o.type,
        priority: o.priority,
        threadId: o.threadId ?? "",
        payload: o.payload ?? "",
        from: ownHandle(o.from) ?? "",
      });
      if (globalsOf(command).json) {
        printJson(toJson(SendResponseSchema, res));
        return;
      }
      process.stdout.write(`sent ${res.messages.length} message${res.messages.length === 1 ? "" : "s"} in thread ${res.threadId}\n`);
      printMessages(res.messages, "table");
    });
}

interface SendOptions {
  to: string;
  subject: string;
  body?: string;
  type: string;
  priority: string;
  threadId?: string;
  payload?: string;
  from?: string;
}
