import { toJson } from "@bufbuild/protobuf";
import { SendInputResponseSchema } from "@orchestrator/contracts";
import { Command } from "commander";
import { globalsOf } from "../global-options.js";
import { printJson } from "../output/print.js";
import { resolveTerminal } from "./terminal-directory.js";

/** `orchestrator terminal send [--terminal <handle>] --text <text> [--enter]`: types into a terminal. */
export function terminalSendCommand(): Command {
  return new Command("send")
    .description("type text into a terminal, then Enter with --enter")
    .option("--terminal <handle>", "which terminal (default: the one terminal of the current worktree)")
    .requiredOption("--text <text>", "what to type")
    .option("--enter", "press Enter after the text")
    .addHelpText(
      "after",
      `
Examples:
  $ orchestrator terminal send --terminal term_abc123 --text "Fix the login button CSS" --enter
  $ orchestrator terminal send --text "y" --json`,
    )
    .action(async (o: { terminal?: string; text: string; enter?: boolean }, command: Command) => {
      const { client, instance } = await resolveTerminal(command, o.terminal);
      const res = await client.sendInput({ text: o.text, enter: Boolean(o.enter) });
      if (globalsOf(command).json) printJson(toJson(SendInputResponseSchema, res));
      else process.stdout.write(`sent ${res.bytes} bytes to ${instance.name}\n`);
    });
}
