import { Command } from "commander";
import { toJson } from "@bufbuild/protobuf";
import { Activity, HealthService, HealthState, PoolSchema, type Pool } from "@orchestrator/contracts";
import { clientFor, globalsOf } from "../global-options.js";
import { enumLabel, printJson, printTable } from "../output/print.js";

/**
 * `orchestrator pools`: the pools that have a template (ORCHESTRATOR_POOLS_FILE
 * on the health service): provisioner, repo, limits, idle shutdown, each
 * member's health and activity, and what is being provisioned.
 */
export function poolsCommand(): Command {
  return new Command("pools")
    .description("list the pools that have a template: limits, members (health/activity) and instances being provisioned")
    .addHelpText("after", "\nExamples:\n  $ orchestrator pools\n  $ orchestrator pools --json")
    .action(async (_o, command: Command) => {
      const res = await clientFor(HealthService, command).listPools({});
      if (globalsOf(command).json) {
        printJson(res.pools.map((p) => toJson(PoolSchema, p)));
        return;
      }
      printTable(
        ["POOL", "PROVISIONER", "REPO", "MIN/MAX", "IDLE SHUTDOWN", "MEMBERS", "PROVISIONING"],
        res.pools.map((p) => [p.name, p.provisioner, p.repo, `${p.min}/${p.max}`, idleShutdown(p), members(p), p.provisioning.join(", ") || "-"]),
      );
    });
}

/** `kite-1 healthy/idle, kite-2 healthy/busy (task:t1)`: one member per line. */
function members(p: Pool): string {
  if (p.members.length === 0) return "-";
  return p.members
    .map((m) => `${m.name} ${enumLabel(HealthState, m.health)}/${enumLabel(Activity, m.activity)}${m.allocatedTo ? ` (${m.allocatedTo})` : ""}`)
    .join("\n");
}

function idleShutdown(p: Pool): string {
  const ms = p.idleShutdown ? Number(p.idleShutdown.seconds) * 1000 + Math.round(p.idleShutdown.nanos / 1e6) : 0;
  if (ms === 0) return "never";
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
