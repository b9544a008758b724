import { Command, Option } from "commander";
import { HealthService, HealthState } from "@orchestrator/contracts";
import { splitSelectorList } from "@orchestrator/selector";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { clientFor, globalsOf } from "../global-options.js";
import { enumLabel, printJson, printTable } from "../output/print.js";
import { describeTransient } from "../streams/describe-transient.js";
import { reattaching } from "../streams/reattaching.js";
import { parseRetryOption } from "../router/parse-retry-option.js";
import { retryUnavailable } from "../retry/retry-unavailable.js";

/** `orchestrator health`: the health map of selected instances, once or as a live stream. */
export function healthCommand(): Command {
  return new Command("health")
    .description("show the health of instances (healthy, degraded, down, unknown)")
    .option("-i, --instances <selectors...>", "selectors: names, ranges (A-H, kite-1..5), globs, @groups", [])
    .addOption(new Option("-o, --output <format>", "output format").choices(["table", "json"]).default("table"))
    .option("-w, --watch", "stream every change as it happens")
    .option("-r, --retry <n>", "retries after the first try while the control plane is unreachable (UNAVAILABLE)", (v) => parseRetryOption(v) - 1, 0)
    .addHelpText(
      "after",
      `
Examples:
  $ orchestrator health --instances A-H --output json
  {"A":"healthy","B":"healthy",...,"H":"healthy"}
  $ orchestrator health --instances @pool:kite --watch
  $ orchestrator health --instances A-H --output json --retry 3   # waits out a restarting control plane`,
    )
    .action(async (opts: { instances: string[]; output: string; watch?: boolean; retry: number }, command: Command) => {
      const client = clientFor(HealthService, command);
      const instances = splitSelectorList(opts.instances);
      const json = opts.output === "json" || globalsOf(command).json;
      if (opts.watch) {
        // The watch has no last event: a stream the server ends (a replica shutting down) is reopened, like a lost one.
        const events = reattaching(() => client.watchHealth({ instances }, { timeoutMs: 0 }), {
          isLast: () => false,
          onReattach: (err, attempt, delayMs) => process.stderr.write(`connection lost (${describeTransient(err)}); reattaching in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt})\n`),
        });
        for await (const ev of events) {
          const i = ev.instance!;
          const health = enumLabel(HealthState, i.health);
          if (json) printJson({ name: i.name, health, previous: ev.snapshot ? undefined : enumLabel(HealthState, ev.previousHealth), removed: ev.removed || undefined });
          else {
            const at = i.healthChangedAt ? timestampDate(i.healthChangedAt).toISOString() : "";
            const change = ev.snapshot ? health : ev.removed ? "removed" : `${enumLabel(HealthState, ev.previousHealth)} -> ${health}`;
            process.stdout.write(`${at}  ${i.name}  ${change}\n`);
          }
        }
        return;
      }
      const { statuses } = await retryUnavailable(opts.retry, () => client.checkHealth({ instances }));
      const names = Object.keys(statuses).sort(compareNames);
      if (json) printJson(Object.fromEntries(names.map((n) => [n, statuses[n]])));
      else printTable(["NAME", "HEALTH"], names.map((n) => [n, statuses[n] ?? ""]));
    });
}

/** Natural order: kite-2 before kite-10. */
export function compareNames(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
