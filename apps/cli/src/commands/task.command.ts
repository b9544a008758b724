import { toJson } from "@bufbuild/protobuf";
import { Command } from "commander";
import {
  CreateTaskResponseSchema,
  GetTaskResponseSchema,
  ListTasksResponseSchema,
  SchedulerService,
  UpdateTaskResponseSchema,
} from "@orchestrator/contracts";
import { clientFor, globalsOf } from "../global-options.js";
import { printJson } from "../output/print.js";
import { intOption, jsonValueOption, listOption } from "../scheduler/scheduler-options.js";
import { printTaskDetail, printTasks } from "../scheduler/print-scheduler.js";
import { durationOption } from "../scheduler/duration-option.js";

/** `orchestrator task create|list|get|update`: the task DAG. */
export function taskCommand(): Command {
  const task = new Command("task")
    .description("tasks with dependencies (a DAG): create, list, get, update")
    .addHelpText("after", `\nExamples:\n  $ orchestrator task create --spec "build the API" --id api\n  $ orchestrator task list --ready\n  $ orchestrator task update --id api --status completed --result '{"pr":42}'\n  $ orchestrator orchestration task-create --spec "Fix the login button CSS" --json   # Orca's form`);
  task
    .command("create")
    .description("create a task; ready when its deps are complete, pending otherwise")
    .requiredOption("--spec <text>", "what to do")
    .option("--id <id>", "task id (generated when absent)")
    .option("--deps <ids>", `tasks that must complete first: a JSON array ('["t1"]') or a comma list`)
    .option("--parent <id>", "parent task")
    .option("--payload <json>", "work for a service instance (default {\"task\":id,\"spec\":spec})")
    .option("--target <selector>", "default instances to dispatch to (A, @pool:kite, ...)")
    .option("--max-attempts <n>", "consecutive failed dispatches before the circuit breaks (default 3)")
    .option("--priority <n>", "higher first (default 0)")
    .option("--timeout <duration>", "deadline of one dispatch (30s, 10m)")
    .addHelpText("after", `\nExamples:\n  $ orchestrator task create --spec "build the API" --id api\n  $ orchestrator task create --spec "test it" --deps '["api"]' --target @pool:demo`)
    .action(async (o: CreateOptions, command: Command) => {
      const timeout = durationOption("--timeout", o.timeout);
      const res = await clientFor(SchedulerService, command).createTask({
        id: o.id ?? "",
        spec: o.spec,
        deps: listOption("--deps", o.deps),
        parentId: o.parent ?? "",
        payload: jsonValueOption("--payload", o.payload),
        target: o.target ?? "",
        maxAttempts: intOption("--max-attempts", o.maxAttempts) ?? 0,
        priority: intOption("--priority", o.priority) ?? 0,
        ...(timeout ? { timeout } : {}),
      });
      if (globalsOf(command).json) printJson(toJson(CreateTaskResponseSchema, res));
      else printTaskDetail(res.task!);
    });
  task
    .command("list")
    .description("list tasks in creation order")
    .option("--status <status>", "pending, ready, dispatched, completed, failed or blocked")
    .option("--ready", "only ready tasks")
    .option("--run <id>", "only tasks of this run")
    .option("--parent <id>", "only sub-tasks of this task")
    .option("--limit <n>", "at most this many (default 100)")
    .addHelpText("after", `\nExamples:\n  $ orchestrator task list --ready\n  $ orchestrator task list --status failed --json`)
    .action(async (o: ListOptions, command: Command) => {
      const res = await clientFor(SchedulerService, command).listTasks({
        status: o.status ?? "",
        ready: Boolean(o.ready),
        runId: o.run ?? "",
        parentId: o.parent ?? "",
        limit: intOption("--limit", o.limit) ?? 0,
      });
      if (globalsOf(command).json) printJson(toJson(ListTasksResponseSchema, res));
      else printTasks(res.tasks);
    });
  task
    .command("get")
    .description("show one task")
    .argument("[id]", "task id")
    .option("--id <id>", "task id")
    .addHelpText("after", "\nExamples:\n  $ orchestrator task get api\n  $ orchestrator task get --id api --json")
    .action(async (id: string | undefined, o: { id?: string }, command: Command) => {
      const res = await clientFor(SchedulerService, command).getTask({ id: requireId(id ?? o.id) });
      if (globalsOf(command).json) printJson(toJson(GetTaskResponseSchema, res));
      else printTaskDetail(res.task!);
    });
  task
    .command("update")
    .description("move a task: completed (promotes its dependents), failed (fails them), blocked (held), ready (released again); the scheduler refuses illegal moves")
    .requiredOption("--id <id>", "task id")
    .requiredOption("--status <status>", "ready, blocked, completed or failed")
    .option("--result <json>", "the result of a completed task")
    .option("--error <text>", "why it failed")
    .addHelpText(
      "after",
      `
Moves: completed from ready or dispatched; failed from any status but completed;
blocked from pending, ready or dispatched (a live dispatch is closed); ready from
blocked (when no gate is pending and its deps are done) or dispatched (taken back).

Examples:
  $ orchestrator task update --id api --status completed --result '{"pr":42}'
  $ orchestrator task update --id api --status failed --error "tests are red"
  $ orchestrator task update --id api --status blocked ; orchestrator task update --id api --status ready`,
    )
    .action(async (o: UpdateOptions, command: Command) => {
      const res = await clientFor(SchedulerService, command).updateTask({
        id: o.id,
        status: o.status,
        result: jsonValueOption("--result", o.result),
        error: o.error ?? "",
      });
      if (globalsOf(command).json) {
        printJson(toJson(UpdateTaskResponseSchema, res));
        return;
      }
      printTaskDetail(res.task!);
      if (res.affected.length > 0) process.stdout.write(`${o.status === "failed" ? "failed with it" : "now ready"}: ${res.affected.join(", ")}\n`);
    });
  return task;
}

function requireId(id: string | undefined): string {
  if (!id) throw new Error("a task id is required: orchestrator task get <id>");
  return id;
}

interface CreateOptions {
  spec: string;
  id?: string;
  deps?: string;
  parent?: string;
  payload?: string;
  target?: string;
  maxAttempts?: string;
  priority?: string;
  timeout?: string;
}

interface ListOptions {
  status?: string;
  ready?: boolean;
  run?: string;
  parent?: string;
  limit?: string;
}

interface UpdateOptions {
  id: string;
  status: string;
  result?: string;
  error?: string;
}
