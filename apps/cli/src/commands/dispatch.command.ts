import { toJson } from "@bufbuild/protobuf";
import { Command } from "commander";
import { DispatchResponseSchema, GetDispatchResponseSchema, SchedulerService } from "@orchestrator/contracts";
import { clientFor, globalsOf } from "../global-options.js";
import { printJson } from "../output/print.js";
import { printContexts } from "../scheduler/print-scheduler.js";
import { durationOption } from "../scheduler/duration-option.js";
import { ownHandle } from "../mailbox/own-handle.js";

/** Flags of `orchestrator dispatch`. */
interface DispatchFlags {
  task?: string;
  command?: string;
  to?: string;
  pool?: string;
  repo?: string;
  from?: string;
  inject?: boolean;
  wait?: boolean;
  waitTimeout?: string;
}

/**
 * `orchestrator dispatch`: a ready task (`--task`) or a new one
 * (`--command`) to an instance or agent (`--to`), or to the next idle agent
 * of a pool (`--pool`, provisioning `NAME-N+1` when none is idle).
 */
export function dispatchCommand(): Command {
  return new Command("dispatch")
    .description("dispatch a task: services get it through the router, agents as a dispatch message; --pool allocates (or provisions) the next idle agent")
    .option("--task <id>", "a ready task")
    .option("--command <text>", "create a task with this spec and dispatch it (instead of --task)")
    .option("--to <selector|handle>", "instance, selector or agent handle (default: the task's target)")
    .option("--pool <name>", "the next idle agent of this pool; when none is idle the pool's provisioner creates one")
    .option("--repo <name>", "same as --pool (the worker dispatcher's name for it: --repo kite --command \"...\")")
    .option("--from <handle>", "handle the agent answers to (default: ORCHESTRATOR_HANDLE when set, else the scheduler's, which settles the task itself)")
    .option("--inject", "agents: put the preamble (how to answer worker_done / escalation) in the message, and print it (pool dispatch always does)")
    .option("--wait", "with --pool: when the pool is at its maximum, wait for a free agent instead of failing")
    .option("--wait-timeout <duration>", "with --pool: how long to wait for a free or provisioned agent (e.g. 10m)")
    .addHelpText(
      "after",
      `\nExamples:\n  $ orchestrator dispatch --task api --to @pool:demo\n  $ orchestrator dispatch --task fix --to kite-1 --inject\n  $ orchestrator dispatch --pool kite --command "fix the authentication bug" --wait --wait-timeout 10m
  $ orchestrator --repo kite --command "fix the authentication bug"     # the worker dispatcher's form`,
    )
    .action(async (flags: DispatchFlags, command: Command) => {
      if (flags.repo && flags.pool && flags.repo !== flags.pool) throw new Error(`--repo ${flags.repo} and --pool ${flags.pool}: they name the same thing, give one`);
      const o = { ...flags, pool: flags.pool ?? flags.repo };
      if (!o.task && !o.command) throw new Error("pass --task <id> (a ready task) or --command <text> (a new one)");
      const waitTimeout = durationOption("--wait-timeout", o.waitTimeout);
      const res = await clientFor(SchedulerService, command).dispatch(
        {
          taskId: o.task ?? "",
          command: o.command ?? "",
          to: o.to ?? "",
          pool: o.pool ?? "",
          from: ownHandle(o.from) ?? "",
          inject: Boolean(o.inject),
          wait: Boolean(o.wait),
          ...(waitTimeout ? { waitTimeout } : {}),
        },
        // Allocation may provision an agent (clone, setup) or wait for one: no client deadline beyond the asked wait.
        o.pool ? { timeoutMs: 0 } : {},
      );
      if (globalsOf(command).json) {
        printJson(toJson(DispatchResponseSchema, res));
        return;
      }
      const d = res.dispatch!;
      const taskId = res.task?.id ?? o.task;
      if (o.pool) process.stdout.write(`allocated ${d.instance} from pool ${o.pool}${res.provisioned ? " (provisioned for this task)" : ""}\n`);
      process.stdout.write(`dispatched ${taskId} to ${d.instance} (${d.kind}, attempt ${d.attempt}, dispatch ${d.id})\n`);
      if (d.kind === "agent") process.stdout.write(`watch it:  orchestrator agent tail ${d.instance} --follow\nresult:    orchestrator dispatch-show --task ${taskId}\n`);
      if (o.inject) process.stdout.write(`\n${d.preamble}\n`);
    });
}

/** `orchestrator dispatch-show --task T`: a task's dispatch contexts, every attempt. */
export function dispatchShowCommand(): Command {
  return new Command("dispatch-show")
    .description("show a task's dispatch contexts: attempts, instances, statuses, the circuit breaker")
    .requiredOption("--task <id>", "task id")
    .addHelpText("after", "\nExamples:\n  $ orchestrator dispatch-show --task api\n  $ orchestrator orchestration dispatch-show --task api --json")
    .action(async (o: { task: string }, command: Command) => {
      const res = await clientFor(SchedulerService, command).getDispatch({ taskId: o.task });
      if (globalsOf(command).json) printJson(toJson(GetDispatchResponseSchema, res));
      else printContexts(res.history);
    });
}
