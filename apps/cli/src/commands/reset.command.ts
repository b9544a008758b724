import { Command } from "commander";
import { globalsOf } from "../global-options.js";
import { printJson } from "../output/print.js";
import { confirmOnTerminal } from "../reset/confirm-on-terminal.js";
import type { ResetOutcome } from "../reset/reset-target.js";
import { RESET_TARGETS } from "../reset/reset-targets.js";

/**
 * `orchestrator reset [--tasks] [--messages [--handle H]] [--all] [--yes]`:
 * clear state, one flag per kind (see RESET_TARGETS). No flag means --all,
 * as in Orca; clearing everything asks first on a terminal, unless --yes.
 */
export function resetCommand(): Command {
  const command = new Command("reset").description("clear orchestrator state: pick what with flags; no flag (or --all) clears everything");
  for (const target of RESET_TARGETS) command.option(`--${target.flag}`, target.description);
  return command
    .option("--all", `everything above (${RESET_TARGETS.map((t) => t.flag).join(", ")}); the default when no flag is given`)
    .option("--handle <handle>", "only this handle's messages")
    .option("-y, --yes", "do not ask for confirmation on a terminal")
    .addHelpText("after", "\nExamples:\n  $ orchestrator reset                # everything (asks on a terminal)\n  $ orchestrator reset --tasks --json\n  $ orchestrator reset --messages --handle kite-1\n  $ orchestrator reset --all --yes")
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const picked = RESET_TARGETS.filter((t) => o[t.flag] === true);
      const all = o.all === true || picked.length === 0;
      const chosen = all ? RESET_TARGETS : picked;
      if (all && o.yes !== true && !(await confirmOnTerminal(`delete all ${RESET_TARGETS.map((t) => t.flag).join(" and ")} at ${globalsOf(cmd).addr}?`))) {
        process.stderr.write("nothing reset\n");
        process.exitCode = 1;
        return;
      }
      const options = typeof o.handle === "string" ? { handle: o.handle } : {};
      const outcomes: ResetOutcome[] = [];
      for (const target of chosen) outcomes.push(await target.run(cmd, options));
      if (globalsOf(cmd).json) printJson(Object.fromEntries(outcomes.map((r) => [r.target, { deleted: r.deleted }])));
      else for (const r of outcomes) process.stdout.write(`reset ${r.target}${r.detail ? ` ${r.detail}` : ""}: ${r.deleted} deleted\n`);
    });
}
