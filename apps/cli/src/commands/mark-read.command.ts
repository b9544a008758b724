import { Command } from "commander";
import { MailboxService } from "@orchestrator/contracts";
import { clientFor, globalsOf } from "../global-options.js";
import { ownHandle } from "../mailbox/own-handle.js";
import { printJson } from "../output/print.js";

/** `orchestrator mark-read [ids...]`: mark messages read, or all of a handle's with --all. */
export function markReadCommand(): Command {
  return new Command("mark-read")
    .description("mark messages read: the given ids, or every unread message of a handle with --all")
    .argument("[ids...]", "message ids")
    .option("--handle <handle>", "only this handle's messages (ORCHESTRATOR_HANDLE)")
    .option("--all", "every unread message of the handle")
    .addHelpText("after", "\nExamples:\n  $ orchestrator mark-read 3f1c...e2 9a0b...11\n  $ orchestrator mark-read --all --handle coordinator")
    .action(async (ids: string[], o: { handle?: string; all?: boolean }, command: Command) => {
      if ((ids.length === 0) === !o.all) throw new Error("give message ids, or --all to mark every unread message of the handle (not both)");
      const handle = o.all ? ownHandle(o.handle, true) : (o.handle ?? "");
      const res = await clientFor(MailboxService, command).markRead({ ids, handle });
      if (globalsOf(command).json) printJson({ marked: Number(res.marked) });
      else process.stdout.write(`marked ${res.marked} message${res.marked === 1n ? "" : "s"} read\n`);
    });
}
