import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Command } from "commander";
import { toJson } from "@bufbuild/protobuf";
import { Activity, HealthService, HealthState, PoolSchema, type Pool } from "@orchestrator/contracts";
import { clientFor, globalsOf } from "../global-options.js";
import { enumLabel, printJson, printTable } from "../output/print.js";

/**
 * `orchestrator pools`: the pools that have a template (from
 * ORCHESTRATOR_POOLS_FILE at start, or applied at run time with `pools
 * apply`): provisioner, repo, limits, idle shutdown, each member's health
 * and activity, and what is being provisioned.
 */
export function poolsCommand(): Command {
  const pools = new Command("pools")
    .description("list the pools that have a template (limits, members, provisioning); `pools apply -f FILE` creates or changes them at run time")
    .addHelpText("after", "\nExamples:\n  $ orchestrator pools\n  $ orchestrator pools --json\n  $ orchestrator pools apply -f pools.yaml")
    .action(async (_o, command: Command) => listPools(command));
  pools
    .command("list")
    .alias("ls")
    .description("list the pools that have a template (the same as `orchestrator pools`)")
    .addHelpText("after", "\nExamples:\n  $ orchestrator pools list\n  $ orchestrator pools list --json")
    .action(async (_o, command: Command) => listPools(command));
  pools
    .command("apply")
    .description("create or replace pools from a pools file (the format of ORCHESTRATOR_POOLS_FILE), stored in the database: every replica uses them at once")
    .requiredOption("-f, --file <file>", "a YAML or JSON pools file; - reads stdin; relative paths in it start at its directory")
    .addHelpText(
      "after",
      `
Examples:
  $ orchestrator pools apply -f pools.yaml
  $ cat pools.yaml
  pools:
    kite:
      repo: https://github.com/acme/kite.git   # or a path on the health service's machine
      command: [claude, -p]
      max: 4
  $ orchestrator --repo kite --command "fix the authentication bug"`,
    )
    .action(async (o: { file: string }, command: Command) => {
      const document = o.file === "-" ? readFileSync(0, "utf8") : readFileSync(o.file, "utf8");
      const baseDir = o.file === "-" ? process.cwd() : dirname(resolve(o.file));
      const res = await clientFor(HealthService, command).applyPools({ document, baseDir });
      if (globalsOf(command).json) {
        printJson(res.pools.map((p) => toJson(PoolSchema, p)));
        return;
      }
      for (const p of res.pools) process.stdout.write(`pool ${p.name} applied: ${p.command.join(" ")} in copies of ${p.repo}, ${p.min}..${p.max} instances\n`);
    });
  return pools;
}

async function listPools(command: Command): Promise<void> {
  const res = await clientFor(HealthService, command).listPools({});
  if (globalsOf(command).json) {
    printJson(res.pools.map((p) => toJson(PoolSchema, p)));
    return;
  }
  printTable(
    ["POOL", "SOURCE", "PROVISIONER", "REPO", "MIN/MAX", "IDLE SHUTDOWN", "MEMBERS", "PROVISIONING"],
    res.pools.map((p) => [p.name, p.source, p.provisioner, p.repo, `${p.min}/${p.max}`, idleShutdown(p), members(p), p.provisioning.join(", ") || "-"]),
  );
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
