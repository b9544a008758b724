import { toJson } from "@bufbuild/protobuf";
import { Command } from "commander";
import { DispatchResponseSchema, GetDispatchResponseSchema, SchedulerService } from "@orchestrator/contracts";
import { clientFor, globalsOf } from "../global-options.js";
import { printJson } from "../output/print.js";
import { printContexts } from "../scheduler/print-scheduler.js";

/** `orchestrator dispatch --task T --to H [--inject]`: dispatch a ready task to an instance or agent. */
export function dispatchCommand(): Command {
  return new Command("dispatch")
    .description("dispatch a ready task: services get it through the router, agents as a dispatch message")
    .requiredOption("--task <id>", "a ready task")
    .option("--to <selector|handle>", "instance, selector or agent handle (default: the task's target)")
    .option("--from <handle>", "handle the agent answers to (default: the scheduler's)")
    .option("--inject", "agents: put the preamble (how to answer worker_done / escalation) in the message, and print it")
    .addHelpText("after", `\nExamples:\n  $ orchestrator dispatch --task api --to @pool:demo\n  $ orchestrator dispatch --task fix --to kite-1 --inject`)
    .action(async (o: { task: string; to?: string; from?: string; inject?: boolean }, command: Command) => {
      const res = await clientFor(SchedulerService, command).dispatch({ taskId: o.task, to: o.to ?? "", from: o.from ?? "", inject: Boolean(o.inject) });
      if (globalsOf(command).json) {
        printJson(toJson(DispatchResponseSchema, res));
        return;
      }
      const d = res.dispatch!;
      process.stdout.write(`dispatched ${o.task} to ${d.instance} (${d.kind}, attempt ${d.attempt}, dispatch ${d.id})\n`);
      if (o.inject) process.stdout.write(`\n${d.preamble}\n`);
    });
}

/** `orchestrator dispatch-show --task T`: a task's dispatch contexts, every attempt. */
export function dispatchShowCommand(): Command {
  return new Command("dispatch-show")
    .description("show a task's dispatch contexts: attempts, instances, statuses, the circuit breaker")
    .requiredOption("--task <id>", "task id")
    .action(async (o: { task: string }, command: Command) => {
      const res = await clientFor(SchedulerService, command).getDispatch({ taskId: o.task });
      if (globalsOf(command).json) printJson(toJson(GetDispatchResponseSchema, res));
      else printContexts(res.history);
    });
}
