import { Command } from "commander";
import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { FanoutResponseSchema, FanoutStreamResponseSchema, ResultStatus, RouterService, type FanoutSummary, type InstanceResult } from "@orchestrator/contracts";
import { splitSelectorList } from "@orchestrator/selector";
import { clientFor, globalsOf } from "../global-options.js";
import { enumLabel, printJson, printTable } from "../output/print.js";
import { callTimeoutMs } from "../router/call-timeout.js";
import { collectMetadata } from "../router/collect-metadata.js";
import { formatLatency } from "../router/format-latency.js";
import { parseJsonOption } from "../router/parse-json-option.js";
import { durationInit, parseDurationOption } from "../router/parse-duration-option.js";
import { parseRetryOption } from "../router/parse-retry-option.js";
import { parseAggregateOption, type AggregateChoice } from "../router/parse-aggregate-option.js";
import { addConfigOption, applyConfigFile } from "../options/config-file-option.js";

/** `orchestrator fanout --targets A-H --aggregate all --timeout 10s`: send to every target, aggregate the answers. */
export function fanoutCommand(): Command {
  const command = new Command("fanout")
    .description("send a payload to every selected instance at once and aggregate the answers")
    .option("-t, --targets <selectors...>", "instances to send to: names, ranges (A-H), globs, @groups (required)")
    .option("-p, --payload <json>", "the work, as JSON", "null")
    .option("--payload-for <name=json>", "a different payload for one instance (repeatable)", collectPayloads, {})
    .option("-a, --aggregate <mode>", "how answers combine: all, first, quorum, merge; true (= all) or false (each answer as it arrives)", (v) => parseAggregateOption(v), parseAggregateOption("all"))
    .option("-q, --quorum <n>", "successes needed with --aggregate quorum", (v) => Number.parseInt(v, 10))
    .option("--timeout <duration>", "deadline of the whole fanout; late targets are reported timed out (10s, 500ms; a bare number is seconds)")
    .option("-c, --max-concurrency <n>", "most calls in flight at once (default: all)", (v) => Number.parseInt(v, 10))
    .option("-r, --retry <n>", "retries per target after its first attempt (default 0)", (v) => parseRetryOption(v))
    .option("-m, --metadata <key=value>", "metadata for the instances (repeatable)", collectMetadata, {})
    .option("-s, --stream", "print each instance's result as it arrives (FanoutStream)")
    .addHelpText(
      "after",
      `
Exits 1 when the aggregate is not satisfied (all/merge: a target failed; first: none succeeded; quorum: too few).

Examples:
  $ orchestrator fanout --targets A-H --aggregate all --timeout 10s
  $ orchestrator fanout --targets A-H --aggregate true --timeout 10s > output.json
  $ orchestrator fanout --config config.json      # {"targets": ["A", "C"], "aggregate": true, "timeout": 5}
  $ orchestrator fanout --targets A-H --aggregate first --payload '{"q":"x"}'
  $ orchestrator fanout --targets A-H --aggregate quorum --quorum 5 --stream
  $ orchestrator fanout --targets A-H --timeout 1s --payload-for 'G={"demo":{"hang":true}}'`,
    );
  return addConfigOption(command).action(async (_o: FanoutOptions, command: Command) => {
      applyConfigFile(command, { jsonKeys: ["payload"], aliases: { instances: "targets" } });
      const o = command.opts<FanoutOptions>();
      if (!o.targets || o.targets.length === 0) throw new Error("--targets is required: the instances to send to (A-H, @pool:demo), on the command line or in --config");
      const g = globalsOf(command);
      const stream = Boolean(o.stream) || o.aggregate.perInstance;
      const timeoutMs = o.timeout === undefined ? undefined : parseDurationOption(o.timeout, "--timeout");
      const request = {
        targets: splitSelectorList(o.targets),
        payload: fromJson(ValueSchema, parseJsonOption(o.payload, "--payload")),
        payloads: Object.fromEntries(Object.entries(o.payloadFor).map(([name, json]) => [name, fromJson(ValueSchema, json)])),
        aggregate: o.aggregate.aggregate,
        quorum: o.quorum ?? 0,
        ...(timeoutMs === undefined ? {} : { timeout: durationInit(timeoutMs) }),
        maxConcurrency: o.maxConcurrency ?? 0,
        maxAttempts: o.retry ?? 0,
        metadata: o.metadata,
      };
      const client = clientFor(RouterService, command);
      const options = { timeoutMs: callTimeoutMs(g.timeoutMs, timeoutMs) };
      let summary: FanoutSummary | undefined;
      if (stream) {
        for await (const message of client.fanoutStream(request, options)) {
          if (g.json) printJson(toJson(FanoutStreamResponseSchema, message));
          else if (message.event.case === "result") printResultLine(message.event.value);
          if (message.event.case === "summary") summary = message.event.value;
        }
        if (!g.json && summary && !o.aggregate.perInstance) printSummary(summary);
      } else {
        const res = await client.fanout(request, options);
        summary = res.summary;
        if (g.json) printJson(toJson(FanoutResponseSchema, res));
        else {
          printResults(res.results);
          if (summary) printSummary(summary);
        }
      }
      if (summary && !summary.satisfied) process.exitCode = 1;
    });
}

function printResults(results: readonly InstanceResult[]): void {
  printTable(
    ["INSTANCE", "STATUS", "CODE", "LATENCY", "RESULT / ERROR"],
    results.map((r) => [r.instance, enumLabel(ResultStatus, r.status), r.code, formatLatency(r.latency), describe(r)]),
  );
}

function printResultLine(r: InstanceResult): void {
  process.stdout.write(`${r.instance}  ${enumLabel(ResultStatus, r.status)}  ${r.code}  ${formatLatency(r.latency)}  ${describe(r)}\n`);
}

function printSummary(s: FanoutSummary): void {
  const state = `${s.succeeded} ok, ${s.failed} failed${s.timedOut ? ", timed out" : ""}`;
  process.stdout.write(`\naggregate ${s.aggregate}${s.winner ? ` (winner ${s.winner})` : ""}: ${state}; satisfied: ${s.satisfied ? "yes" : "no"}\n`);
  if (s.aggregate !== "all" && s.result) process.stdout.write(`${JSON.stringify(toJson(ValueSchema, s.result), null, 2)}\n`);
}

function describe(r: InstanceResult): string {
  if (r.status === ResultStatus.OK) return r.result ? JSON.stringify(toJson(ValueSchema, r.result)) : "null";
  return `${r.reason ? `${r.reason}: ` : ""}${r.message}`;
}

function collectPayloads(value: string, previous: Record<string, JsonValue>): Record<string, JsonValue> {
  const eq = value.indexOf("=");
  if (eq <= 0) throw new Error(`--payload-for must be NAME=JSON, got "${value}"`);
  return { ...previous, [value.slice(0, eq)]: parseJsonOption(value.slice(eq + 1), `--payload-for ${value.slice(0, eq)}`) };
}

interface FanoutOptions {
  targets: string[];
  payload: string;
  payloadFor: Record<string, JsonValue>;
  aggregate: AggregateChoice;
  quorum?: number;
  timeout?: string;
  maxConcurrency?: number;
  retry?: number;
  metadata: Record<string, string>;
  stream?: boolean;
}
