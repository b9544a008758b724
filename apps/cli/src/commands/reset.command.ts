import { Command } from "commander";
import { globalsOf } from "../global-options.js";
import { printJson } from "../output/print.js";
import type { ResetOutcome } from "../reset/reset-target.js";
import { RESET_TARGETS } from "../reset/reset-targets.js";

/** `orchestrator reset --messages|--all [--handle H]`: clear state, one flag per kind (see RESET_TARGETS). */
export function resetCommand(): Command {
  const command = new Command("reset").description("clear orchestrator state: pick what with flags, or --all");
  for (const target of RESET_TARGETS) command.option(`--${target.flag}`, target.description);
  return command
    .option("--all", `everything above (${RESET_TARGETS.map((t) => t.flag).join(", ")})`)
    .option("--handle <handle>", "only this handle's messages")
    .addHelpText("after", "\nExamples:\n  $ orchestrator reset --messages\n  $ orchestrator reset --messages --handle kite-1")
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const chosen = RESET_TARGETS.filter((t) => o.all === true || o[t.flag] === true);
      if (chosen.length === 0) throw new Error(`nothing to reset: pass ${RESET_TARGETS.map((t) => `--${t.flag}`).join(", ")} or --all`);
      const options = typeof o.handle === "string" ? { handle: o.handle } : {};
      const outcomes: ResetOutcome[] = [];
      for (const target of chosen) outcomes.push(await target.run(cmd, options));
      if (globalsOf(cmd).json) printJson(Object.fromEntries(outcomes.map((r) => [r.target, { deleted: r.deleted }])));
      else for (const r of outcomes) process.stdout.write(`reset ${r.target}${r.detail ? ` ${r.detail}` : ""}: ${r.deleted} deleted\n`);
    });
}
