import { existsSync, readFileSync, statSync } from "node:fs";
import { extname } from "node:path";
import { toJson } from "@bufbuild/protobuf";
import { Command } from "commander";
import { GetRunResponseSchema, ListRunsResponseSchema, SchedulerService, StartRunResponseSchema, StopRunResponseSchema, WatchRunResponseSchema, type Run } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { CLI_GRPC_CLIENT, clientFor, globalsOf } from "../global-options.js";
import { ownHandle } from "../mailbox/own-handle.js";
import { printJson } from "../output/print.js";
import { printRuns, valueText } from "../scheduler/print-scheduler.js";
import { ProgressView } from "../scheduler/run-progress-view.js";
import { intOption } from "../scheduler/scheduler-options.js";
import { describeTransient } from "../streams/describe-transient.js";
import { reattaching } from "../streams/reattaching.js";

/**
 * `orchestrator run --spec FILE|TEXT [--max-concurrent N] [--from HANDLE] [--follow]`:
 * start a coordinator run; with --follow, a live view until it ends (exit
 * code 1 unless it ends `done`). `--from` (default ORCHESTRATOR_HANDLE) is
 * the run's coordinator: its dispatches come from that handle, and its
 * escalations and gate notices go to that handle's inbox.
 */
export function runCommand(): Command {
  return new Command("run")
    .description("start a coordinator run from a task graph (YAML/JSON file or text) or a free-text spec")
    .requiredOption("--spec <file|text>", "a YAML/JSON task graph file, inline YAML/JSON, or free text for the decomposer")
    .option("--format <format>", "yaml, json or text (default: detect)")
    .option("--max-concurrent <n>", "most tasks in flight at once")
    .option("--target <selector>", "default instances for tasks without a target (default @healthy)")
    .option("--worktree <id>", "default instances: the agents working in this worktree (same as --target @worktree:<id>)")
    .option("--from <handle>", "the run's coordinator: dispatches come from it, escalations and gate notices go to its inbox (default ORCHESTRATOR_HANDLE)")
    .option("--follow", "show progress live until the run ends")
    .option("--poll-interval-ms <n>", "with --follow: how often the progress view refreshes (default 1000)")
    .addHelpText(
      "after",
      `
Spec (YAML):
  target: "@pool:demo"
  tasks:
    - {id: a, spec: fetch}
    - {id: b, spec: build, deps: [a]}

Examples:
  $ orchestrator run --spec plan.yaml --max-concurrent 4 --follow
  $ orchestrator run --spec "add a login page with tests" --follow --poll-interval-ms 250
  $ orchestrator orchestration run --spec plan.yaml --worktree kite-1 --max-concurrent 2 --json   # Orca's form
  $ orchestrator run --spec plan.yaml --from alice    # escalations and gates of the run go to alice's inbox
  $ orchestrator check --handle alice --wait --types escalation,decision_gate`,
    )
    .action(async (o: RunOptions, command: Command) => {
      const { spec, format } = readSpec(o.spec, o.format);
      if (o.worktree !== undefined && o.target !== undefined) throw new Error("--worktree and --target: give one (--worktree X is --target @worktree:X)");
      const target = o.worktree !== undefined ? `@worktree:${o.worktree}` : (o.target ?? "");
      const pollMs = pollInterval(o.pollIntervalMs);
      const from = ownHandle(o.from) ?? "";
      const res = await clientFor(SchedulerService, command).startRun({ spec, format, maxConcurrency: intOption("--max-concurrent", o.maxConcurrent) ?? 0, target, from });
      const run = res.run!;
      const json = globalsOf(command).json;
      if (!o.follow) {
        if (json) printJson(toJson(StartRunResponseSchema, res));
        else process.stdout.write(`run ${run.id} started (${run.status})${run.coordinator ? `, coordinated by ${run.coordinator}` : ""}; follow it with: orchestrator run-show --run ${run.id} --follow\n`);
        return;
      }
      if (!json) process.stdout.write(`run ${run.id} started\n`);
      process.exitCode = await follow(command, run.id, json, pollMs);
    });
}

/** `orchestrator run-show --run R [--follow]`: a run's progress and result. */
export function runShowCommand(): Command {
  return new Command("run-show")
    .description("show a run: phase, task counts, running tasks, result")
    .requiredOption("--run <id>", "run id")
    .option("--follow", "show progress live until the run ends")
    .option("--poll-interval-ms <n>", "with --follow: how often the progress view refreshes (default 1000)")
    .addHelpText("after", "\nExamples:\n  $ orchestrator run-show --run r-1a2b\n  $ orchestrator run-show --run r-1a2b --follow --poll-interval-ms 500")
    .action(async (o: { run: string; follow?: boolean; pollIntervalMs?: string }, command: Command) => {
      const json = globalsOf(command).json;
      if (o.follow) {
        process.exitCode = await follow(command, o.run, json, pollInterval(o.pollIntervalMs));
        return;
      }
      const res = await clientFor(SchedulerService, command).getRun({ id: o.run });
      if (json) printJson(toJson(GetRunResponseSchema, res));
      else printSummary(res.run!);
    });
}

/** `orchestrator runs [--status S]`: recent runs. */
export function runsCommand(): Command {
  return new Command("runs")
    .description("list runs, newest first")
    .option("--status <status>", "active, decomposing, dispatching, monitoring, merging, done, failed or stopped")
    .option("--limit <n>", "at most this many (default 50)")
    .addHelpText("after", "\nExamples:\n  $ orchestrator runs\n  $ orchestrator runs --status active --json")
    .action(async (o: { status?: string; limit?: string }, command: Command) => {
      const res = await clientFor(SchedulerService, command).listRuns({ status: o.status ?? "", limit: intOption("--limit", o.limit) ?? 0 });
      if (globalsOf(command).json) printJson(toJson(ListRunsResponseSchema, res));
      else printRuns(res.runs);
    });
}

/** `orchestrator run-stop [--run R]`: stop a run (the only active one when --run is left out). */
export function runStopCommand(): Command {
  return new Command("run-stop")
    .description("stop a run: cancel its in-flight dispatches, fail its open tasks")
    .option("--run <id>", "run id (default: the only active run)")
    .option("--reason <text>", "why (recorded as the run's error)")
    .addHelpText("after", "\nExamples:\n  $ orchestrator run-stop\n  $ orchestrator run-stop --run r-1a2b --reason \"wrong spec\" --json")
    .action(async (o: { run?: string; reason?: string }, command: Command) => {
      const client = clientFor(SchedulerService, command);
      let id = o.run;
      if (!id) {
        const active = (await client.listRuns({ status: "active", limit: 10 })).runs;
        if (active.length !== 1) throw new Error(active.length === 0 ? "no active run to stop" : `${active.length} active runs (${active.map((r) => r.id).join(", ")}): pass --run`);
        id = active[0]!.id;
      }
      const res = await client.stopRun({ id, reason: o.reason ?? "" });
      if (globalsOf(command).json) printJson(toJson(StopRunResponseSchema, res));
      else process.stdout.write(`run ${res.run!.id} stopped; ${res.run!.counts?.failed ?? 0} task(s) failed, ${res.run!.counts?.completed ?? 0} completed\n`);
    });
}

/** Follows WatchRun to the end; returns the exit code (0 when the run ended `done`). */
async function follow(command: Command, runId: string, json: boolean, refreshMs: number): Promise<number> {
  const g = globalsOf(command);
  const client = createServiceClient(SchedulerService, { address: g.addr, ...(g.apiKey ? { apiKey: g.apiKey } : {}), timeoutMs: 0, grpcClient: CLI_GRPC_CLIENT });
  const view = json ? undefined : new ProgressView(Date.now(), process.stderr, refreshMs);
  let last = "";
  try {
    // A database restart or a replaced scheduler replica (which ends its streams cleanly) must not end the view while the run goes on.
    const events = reattaching(() => client.watchRun({ id: runId }), {
      isLast: (ev) => ev.event === "finished",
      onReattach: (err, attempt, delayMs) => process.stderr.write(`connection lost (${describeTransient(err)}); reattaching in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt})\n`),
    });
    for await (const ev of events) {
      if (json) printJson(toJson(WatchRunResponseSchema, ev));
      else view!.update(ev.run!, ev.running);
      if (ev.event === "finished") {
        last = ev.run!.status;
        if (!json) printSummary(ev.run!);
      }
    }
  } finally {
    view?.close();
  }
  return last === "done" ? 0 : 1;
}

/** `--poll-interval-ms`: the progress view's refresh, 1000 ms when absent; whole milliseconds ≥ 50. */
function pollInterval(text: string | undefined): number {
  const ms = intOption("--poll-interval-ms", text) ?? 1000;
  if (ms < 50) throw new Error(`--poll-interval-ms: at least 50, got ${ms}`);
  return ms;
}

function printSummary(run: Run): void {
  const c = run.counts;
  process.stdout.write(`run ${run.id}: ${run.status}; ${c?.completed ?? 0} of ${c?.total ?? 0} task(s) completed, ${c?.failed ?? 0} failed${run.error ? ` (${run.error})` : ""}\n`);
  if (run.coordinator) process.stdout.write(`coordinator: ${run.coordinator}\n`);
  if (run.result) process.stdout.write(`result: ${valueText(run.result, 400)}\n`);
}

/** The spec text and format: a file's content (format from its extension), or the text itself. */
function readSpec(spec: string, format: string | undefined): { spec: string; format: string } {
  if (format && !["yaml", "json", "text"].includes(format)) throw new Error(`--format: choose yaml, json or text, got "${format}"`);
  if (spec.length < 4096 && !spec.includes("\n") && existsSync(spec) && statSync(spec).isFile()) {
    const ext = extname(spec).toLowerCase();
    return { spec: readFileSync(spec, "utf8"), format: format ?? (ext === ".json" ? "json" : ext === ".yaml" || ext === ".yml" ? "yaml" : "") };
  }
  return { spec, format: format ?? "" };
}

interface RunOptions {
  spec: string;
  format?: string;
  maxConcurrent?: string;
  target?: string;
  worktree?: string;
  from?: string;
  follow?: boolean;
  pollIntervalMs?: string;
}
