import { toJson } from "@bufbuild/protobuf";
import { Command } from "commander";
import { CreateGateResponseSchema, ListGatesResponseSchema, ResolveGateResponseSchema, SchedulerService, type CreateGateRequest } from "@orchestrator/contracts";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { clientFor, globalsOf } from "../global-options.js";
import { printJson } from "../output/print.js";
import { durationOption } from "../scheduler/duration-option.js";
import { intOption, listOption } from "../scheduler/scheduler-options.js";
import { printGates } from "../scheduler/print-scheduler.js";

/** `orchestrator gate create|resolve|list`: human decision points that block tasks. */
export function gateCommand(): Command {
  const gate = new Command("gate")
    .description("decision gates: block a task until someone decides")
    .addHelpText("after", `\nExamples:\n  $ orchestrator gate create --task deploy --question "ship?" --options '["yes","no"]'\n  $ orchestrator gate list --status pending\n  $ orchestrator gate resolve --id g-1a2b --resolution yes`);
  gate
    .command("create")
    .description("block a task until the question is decided (a decision_gate message asks for it)")
    .requiredOption("--task <id>", "the task to block")
    .requiredOption("--question <text>", "what to decide")
    .option("--options <list>", `choices: a JSON array ('["ship","hold"]') or a comma list`)
    .option("--default <option>", "applied when the deadline passes")
    .option("--timeout <duration>", "deadline from now (30m, 2h)")
    .option("--deadline <iso-time>", "absolute deadline (2030-01-01T12:00:00Z)")
    .option("--notify <handle>", "who is asked (default: the coordinator of the task's run, else the configured gate handle)")
    .addHelpText("after", `\nExamples:\n  $ orchestrator gate create --task deploy --question "ship?" --options '["yes","no"]' --default no --timeout 1h`)
    .action(async (o: CreateOptions, command: Command) => {
      if (o.timeout && o.deadline) throw new Error("--timeout and --deadline: give one");
      let expiry: CreateGateRequest["expiry"] = { case: undefined };
      const timeout = durationOption("--timeout", o.timeout);
      if (timeout) expiry = { case: "timeout", value: timeout };
      if (o.deadline) {
        const at = new Date(o.deadline);
        if (Number.isNaN(at.getTime())) throw new Error(`--deadline: not a date: "${o.deadline}"`);
        expiry = { case: "deadline", value: timestampFromDate(at) };
      }
      const res = await clientFor(SchedulerService, command).createGate({
        taskId: o.task,
        question: o.question,
        options: listOption("--options", o.options),
        defaultOption: o.default ?? "",
        expiry,
        notify: o.notify ?? "",
      });
      if (globalsOf(command).json) printJson(toJson(CreateGateResponseSchema, res));
      else process.stdout.write(`gate ${res.gate!.id} blocks ${res.task!.id}; resolve with: orchestrator gate resolve --id ${res.gate!.id} --resolution <answer>\n`);
    });
  gate
    .command("resolve")
    .description("decide a pending gate; its task becomes ready with the decision in its next preamble")
    .requiredOption("--id <gate>", "gate id")
    .requiredOption("--resolution <text>", "the decision (one of the options, when the gate has options)")
    .option("--by <who>", "who decided")
    .addHelpText("after", "\nExamples:\n  $ orchestrator gate resolve --id g-1a2b --resolution yes\n  $ orchestrator gate-resolve --id g-1a2b --resolution \"ship it\" --by alice --json")
    .action(async (o: { id: string; resolution: string; by?: string }, command: Command) => {
      const res = await clientFor(SchedulerService, command).resolveGate({ id: o.id, resolution: o.resolution, resolvedBy: o.by ?? "" });
      if (globalsOf(command).json) printJson(toJson(ResolveGateResponseSchema, res));
      else process.stdout.write(`gate ${res.gate!.id} resolved: ${res.gate!.resolution}; task ${res.task!.id} is ${res.task!.status}\n`);
    });
  gate
    .command("list")
    .description("list gates, newest first")
    .option("--task <id>", "only this task's gates")
    .option("--status <status>", "pending, resolved, timeout or cancelled")
    .option("--limit <n>", "at most this many (default 100)")
    .addHelpText("after", "\nExamples:\n  $ orchestrator gate list --task deploy\n  $ orchestrator gate-list --status pending --json")
    .action(async (o: { task?: string; status?: string; limit?: string }, command: Command) => {
      const res = await clientFor(SchedulerService, command).listGates({ taskId: o.task ?? "", status: o.status ?? "", limit: intOption("--limit", o.limit) ?? 0 });
      if (globalsOf(command).json) printJson(toJson(ListGatesResponseSchema, res));
      else printGates(res.gates);
    });
  return gate;
}

interface CreateOptions {
  task: string;
  question: string;
  options?: string;
  default?: string;
  timeout?: string;
  deadline?: string;
  notify?: string;
}
