import { Command } from "commander";
import { fromJson, toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { RouterService, RouteResponseSchema } from "@orchestrator/contracts";
import { splitSelectorList } from "@orchestrator/selector";
import { clientFor, globalsOf } from "../global-options.js";
import { printJson } from "../output/print.js";
import { callTimeoutMs } from "../router/call-timeout.js";
import { collectMetadata } from "../router/collect-metadata.js";
import { parseJsonOption } from "../router/parse-json-option.js";
import { durationInit, parseDurationOption } from "../router/parse-duration-option.js";
import { printAttempts } from "../router/print-attempts.js";

/** `orchestrator route --instances A B --payload '{...}'`: deliver work to one healthy selected instance. */
export function routeCommand(): Command {
  return new Command("route")
    .description("deliver a payload to one of the selected instances (health-aware, load-spread, retried)")
    .requiredOption("-i, --instances <selectors...>", "instances that may serve: names, ranges (A-H), globs, @groups")
    .option("-p, --payload <json>", "the work, as JSON", "null")
    .option("-k, --key <key>", "consistent-hashing key: the same key goes to the same instance")
    .option("-r, --retry <n>", "attempts in all (1 = no retry; server default 3)", (v) => Number.parseInt(v, 10))
    .option("--timeout <duration>", "deadline of the whole call, retries included (e.g. 10s)")
    .option("--attempt-timeout <duration>", "deadline of one attempt (e.g. 2s)")
    .option("--no-fallback", "fail fast (instance_down) instead of using another instance of the pool when the selected ones are down")
    .option("--work-id <id>", "correlates the work across attempts")
    .option("-m, --metadata <key=value>", "metadata for the instance (repeatable)", collectMetadata, {})
    .addHelpText(
      "after",
      `
Examples:
  $ orchestrator route --instances A B --payload '{"data":"task"}'
  $ orchestrator route --instances @pool:demo --key user-42 --payload '{"q":1}' --json
  $ orchestrator route --instances A --payload '{"demo":{"fail":2,"key":"k1"}}'            # succeeds on attempt 3
  $ orchestrator route --instances A --payload '{"demo":{"fail":2,"key":"k2"}}' --retry 1  # fails with the last error`,
    )
    .action(async (o: RouteOptions, command: Command) => {
      const g = globalsOf(command);
      const timeoutMs = o.timeout === undefined ? undefined : parseDurationOption(o.timeout, "--timeout");
      const payload = fromJson(ValueSchema, parseJsonOption(o.payload, "--payload"));
      const res = await clientFor(RouterService, command).route(
        {
          instances: splitSelectorList(o.instances),
          payload,
          key: o.key ?? "",
          maxAttempts: o.retry ?? 0,
          ...(timeoutMs === undefined ? {} : { timeout: durationInit(timeoutMs) }),
          ...(o.attemptTimeout === undefined ? {} : { attemptTimeout: durationInit(parseDurationOption(o.attemptTimeout, "--attempt-timeout")) }),
          fallback: o.fallback ? "" : "none",
          workId: o.workId ?? "",
          metadata: o.metadata,
        },
        { timeoutMs: callTimeoutMs(g.timeoutMs, timeoutMs) },
      );
      if (g.json) {
        printJson(toJson(RouteResponseSchema, res));
        return;
      }
      process.stdout.write(`served by ${res.instance} (attempt ${res.attempts.length})  work ${res.workId}${res.traceId ? `  trace ${res.traceId}` : ""}\n`);
      process.stdout.write(`${JSON.stringify(res.result ? toJson(ValueSchema, res.result) : null, null, 2)}\n`);
      if (res.attempts.length > 1) printAttempts(res.attempts);
    });
}

interface RouteOptions {
  instances: string[];
  payload: string;
  key?: string;
  retry?: number;
  timeout?: string;
  attemptTimeout?: string;
  fallback: boolean;
  workId?: string;
  metadata: Record<string, string>;
}
