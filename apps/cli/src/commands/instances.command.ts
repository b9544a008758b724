import { Command, Option } from "commander";
import { toJson } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import {
  Activity,
  HealthService,
  HealthState,
  InstanceKind,
  InstanceSchema,
  ProbeMode,
  ActivityTransitionSchema,
  HealthTransitionSchema,
  type Instance,
} from "@orchestrator/contracts";
import { splitSelectorList } from "@orchestrator/selector";
import { clientFor, globalsOf } from "../global-options.js";
import { ago, enumLabel, printJson, printTable } from "../output/print.js";

/** Renders instances as a table for people, or JSON objects for machines. */
export function printInstances(instances: readonly Instance[], json: boolean): void {
  if (json) {
    printJson(instances.map((i) => toJson(InstanceSchema, i)));
    return;
  }
  printTable(
    ["NAME", "HEALTH", "ACTIVITY", "POOL", "KIND", "ADDRESS", "ALLOCATED TO", "HEARTBEAT"],
    instances.map((i) => [
      i.name,
      enumLabel(HealthState, i.health),
      enumLabel(Activity, i.activity) + (i.activityDetail ? ` (${i.activityDetail})` : ""),
      i.pool,
      enumLabel(InstanceKind, i.kind),
      i.address,
      i.allocatedTo || "-",
      ago(i.lastHeartbeatAt && timestampDate(i.lastHeartbeatAt)),
    ]),
  );
}

function collectLabel(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf("=");
  if (eq <= 0) throw new Error(`--label must be KEY=VALUE, got "${value}"`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** `orchestrator instances register|list|get|deregister|history`. */
export function instancesCommand(): Command {
  const instances = new Command("instances")
    .description("register, list and remove instances")
    .addHelpText("after", "\nExamples:\n  $ orchestrator instances list @pool:demo\n  $ orchestrator instances register --name kite-1 --address 127.0.0.1:7101 --pool kite\n  $ orchestrator instances history A");

  instances
    .command("list")
    .alias("ls")
    .description("list instances, optionally only those matching selectors")
    .argument("[selectors...]", "names, ranges (A-H), globs (kite-*), @groups")
    .addHelpText("after", "\nExamples:\n  $ orchestrator instances list\n  $ orchestrator instances list @pool:kite --json")
    .action(async (selectors: string[], _opts, command: Command) => {
      const res = await clientFor(HealthService, command).listInstances({ selectors: splitSelectorList(selectors) });
      printInstances(res.instances, globalsOf(command).json);
    });

  instances
    .command("register")
    .description("register an instance (replace an existing one with --replace)")
    .requiredOption("-n, --name <name>", "unique name, e.g. A or kite-3")
    .requiredOption("-a, --address <host:port>", "where it serves gRPC")
    .option("-p, --pool <pool>", "pool", "default")
    .option("-l, --label <key=value>", "label (repeatable)", collectLabel, {})
    .addOption(new Option("-k, --kind <kind>", "instance kind").choices(["service", "agent"]).default("service"))
    .addOption(new Option("--probe-mode <mode>", "how health is decided").choices(["grpc", "heartbeat"]).default("grpc"))
    .option("--replace", "replace an existing registration of the same name")
    .addHelpText("after", "\nExample:\n  $ orchestrator instances register --name kite-1 --address 127.0.0.1:7101 --pool kite --label zone=a")
    .action(async (o: { name: string; address: string; pool: string; label: Record<string, string>; kind: string; probeMode: string; replace?: boolean }, command: Command) => {
      const res = await clientFor(HealthService, command).registerInstance({
        name: o.name,
        address: o.address,
        pool: o.pool,
        labels: o.label,
        kind: o.kind === "agent" ? InstanceKind.AGENT : InstanceKind.SERVICE,
        probeMode: o.probeMode === "heartbeat" ? ProbeMode.HEARTBEAT : ProbeMode.GRPC,
        replace: o.replace ?? false,
      });
      printInstances([res.instance!], globalsOf(command).json);
    });

  instances
    .command("get")
    .description("show one instance")
    .argument("<name>")
    .addHelpText("after", "\nExample:\n  $ orchestrator instances get A --json")
    .action(async (name: string, _o, command: Command) => {
      const res = await clientFor(HealthService, command).getInstance({ name });
      printInstances([res.instance!], globalsOf(command).json);
    });

  instances
    .command("deregister")
    .alias("rm")
    .description("remove an instance and its history")
    .argument("<name>")
    .addHelpText("after", "\nExample:\n  $ orchestrator instances deregister kite-3")
    .action(async (name: string, _o, command: Command) => {
      const res = await clientFor(HealthService, command).deregisterInstance({ name });
      if (globalsOf(command).json) printJson(toJson(InstanceSchema, res.instance!));
      else process.stdout.write(`deregistered ${name}\n`);
    });

  instances
    .command("history")
    .description("an instance's health transitions, newest first")
    .argument("<name>")
    .option("--limit <n>", "how many", (v) => Number.parseInt(v, 10), 20)
    .addHelpText("after", "\nExample:\n  $ orchestrator instances history A --limit 5")
    .action(async (name: string, o: { limit: number }, command: Command) => {
      const res = await clientFor(HealthService, command).getHealthHistory({ name, limit: o.limit });
      if (globalsOf(command).json) {
        printJson(res.transitions.map((t) => toJson(HealthTransitionSchema, t)));
        return;
      }
      printTable(
        ["AT", "FROM", "TO", "REASON"],
        res.transitions.map((t) => [
          t.at ? timestampDate(t.at).toISOString() : "",
          enumLabel(HealthState, t.from),
          enumLabel(HealthState, t.to),
          t.reason,
        ]),
      );
    });

  instances
    .command("activity")
    .description("an instance's activity changes (idle, busy, waiting, running, completed, error), newest first")
    .argument("<name>")
    .option("--limit <n>", "how many", (v) => Number.parseInt(v, 10), 20)
    .addHelpText("after", "\nExamples:\n  $ orchestrator instances activity kite-1\n  $ orchestrator instances activity kite-1 --limit 100 --json")
    .action(async (name: string, o: { limit: number }, command: Command) => {
      const res = await clientFor(HealthService, command).getActivityHistory({ name, limit: o.limit });
      if (globalsOf(command).json) {
        printJson(res.transitions.map((t) => toJson(ActivityTransitionSchema, t)));
        return;
      }
      printTable(
        ["AT", "FROM", "TO", "DETAIL"],
        res.transitions.map((t) => [t.at ? timestampDate(t.at).toISOString() : "", enumLabel(Activity, t.from), enumLabel(Activity, t.to), t.detail]),
      );
    });

  return instances;
}
