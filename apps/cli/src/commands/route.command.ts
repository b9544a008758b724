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
import { parseRetryOption } from "../router/parse-retry-option.js";
import { addConfigOption, applyConfigFile } from "../options/config-file-option.js";

/** `orchestrator route --instances A B --payload '{...}'`: deliver work to one healthy selected instance. */
export function routeCommand(): Command {
  const command = new Command("route")
    .description("deliver a payload to one of the selected instances (health-aware, load-spread, retried)")
    .option("-i, --instances <selectors...>", "instances that may serve: names, ranges (A-H), globs, @groups (required)")
    .option("-p, --payload <json>", "the work, as JSON", "null")
    .option("-k, --key <key>", "consistent-hashing key: the same key goes to the same instance")
    .option("-r, --retry <n>", "retries after the first attempt (0 = try once; default: the server's, 3 attempts in all)", (v) => parseRetryOption(v))
    .option("--timeout <duration>", "deadline of the whole call, retries included (10s, 500ms; a bare number is seconds)")
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
  $ orchestrator route --instances A --payload '{"demo":{"fail":2,"key":"k2"}}' --retry 1  # 2 attempts: fails with the last error
  $ orchestrator route --config config.json     # {"instances": ["A"], "timeout": 5, "payload": {"data": "task"}}`,
    );
  return addConfigOption(command).action(async (_o: RouteOptions, command: Command) => {
      applyConfigFile(command, { jsonKeys: ["payload"], aliases: { targets: "instances" } });
      const o = command.opts<RouteOptions>();
      if (!o.instances || o.instances.length === 0) throw new Error("--instances is required: the instances that may serve (A B, A-H, @pool:demo), on the command line or in --config");
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
