import { create, fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { DurationSchema, ValueSchema } from "@bufbuild/protobuf/wkt";
import { CreateTaskRequestSchema, DispatchContextSchema, GateSchema, GetTaskRequestSchema, ListTasksRequestSchema, TaskSchema } from "@orchestrator/contracts";
import { objectSchema } from "../schema/json-schema.js";
import { protoFieldSchema as field } from "../schema/proto-field-schema.js";
import type { OrchestratorTool } from "./orchestrator-tool.js";

/** `task_create`: one task of the DAG, with its dependencies. */
export const taskCreateTool: OrchestratorTool = {
  name: "task_create",
  title: "Create a task",
  description:
    "Create a task in the scheduler's DAG. It starts ready when its dependencies (deps) are all completed, else pending; unknown dependencies and cycles are refused. Completing a task makes its dependents ready.",
  inputSchema: objectSchema(
    {
      id: field(CreateTaskRequestSchema, "id", "The task id; generated (t-…) when absent."),
      spec: field(CreateTaskRequestSchema, "spec", "What to do, in words."),
      deps: field(CreateTaskRequestSchema, "deps", "Ids of tasks that must complete first."),
      parent_id: field(CreateTaskRequestSchema, "parent_id", "An existing task this one belongs to."),
      target: field(CreateTaskRequestSchema, "target", "Default selector of who may run it (`kite-1`, `@pool:kite`)."),
      max_attempts: field(CreateTaskRequestSchema, "max_attempts", "Failed dispatches in a row before the circuit breaks; default 3."),
      priority: field(CreateTaskRequestSchema, "priority", "Higher first when several tasks are ready; default 0."),
      timeout_seconds: field(CreateTaskRequestSchema, "timeout", "Deadline of one dispatch, in seconds; default: the scheduler's."),
      payload: { description: "The work handed to a service instance, any JSON value." },
    },
    ["spec"],
  ),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async call(a, ctx) {
    const timeout = a["timeout_seconds"] as number | undefined;
    const { task } = await ctx.clients.scheduler.createTask(
      {
        id: (a["id"] as string | undefined) ?? "",
        spec: a["spec"] as string,
        deps: (a["deps"] as string[] | undefined) ?? [],
        parentId: (a["parent_id"] as string | undefined) ?? "",
        target: (a["target"] as string | undefined) ?? "",
        maxAttempts: (a["max_attempts"] as number | undefined) ?? 0,
        priority: (a["priority"] as number | undefined) ?? 0,
        ...(timeout !== undefined ? { timeout: create(DurationSchema, { seconds: BigInt(timeout) }) } : {}),
        ...(a["payload"] !== undefined ? { payload: fromJson(ValueSchema, a["payload"] as JsonValue) } : {}),
      },
      ctx.callOptions,
    );
    return { task: task ? toJson(TaskSchema, task) : null };
  },
};

/** `task_list`: tasks in creation order, by status, run or parent. */
export const taskListTool: OrchestratorTool = {
  name: "task_list",
  title: "List tasks",
  description: "List tasks in creation order, optionally only those with a status (e.g. ready), of a run, or under a parent task.",
  inputSchema: objectSchema({
    status: field(ListTasksRequestSchema, "status", "Only tasks with this status."),
    ready: field(ListTasksRequestSchema, "ready", "Only ready tasks (same as status ready)."),
    run_id: field(ListTasksRequestSchema, "run_id", "Only tasks of this run."),
    parent_id: field(ListTasksRequestSchema, "parent_id", "Only sub-tasks of this task."),
    limit: field(ListTasksRequestSchema, "limit", "Page size; default 100."),
    page_token: field(ListTasksRequestSchema, "page_token", "next_page_token of the previous page."),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async call(a, ctx) {
    const res = await ctx.clients.scheduler.listTasks(
      {
        status: (a["status"] as string | undefined) ?? "",
        ready: a["ready"] === true,
        runId: (a["run_id"] as string | undefined) ?? "",
        parentId: (a["parent_id"] as string | undefined) ?? "",
        limit: (a["limit"] as number | undefined) ?? 0,
        pageToken: (a["page_token"] as string | undefined) ?? "",
      },
      ctx.callOptions,
    );
    return { tasks: res.tasks.map((t) => toJson(TaskSchema, t)), nextPageToken: res.nextPageToken };
  },
};

/** `task_show`: one task with its current dispatch and its gates. */
export const taskShowTool: OrchestratorTool = {
  name: "task_show",
  title: "Show a task",
  description: "Show one task: its status, dependencies and result, its current dispatch (who has it, which attempt) and its decision gates.",
  inputSchema: objectSchema({ id: field(GetTaskRequestSchema, "id", "The task id.") }, ["id"]),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async call(a, ctx) {
    const id = a["id"] as string;
    const [{ task }, { current }, { gates }] = await Promise.all([
      ctx.clients.scheduler.getTask({ id }, ctx.callOptions),
      ctx.clients.scheduler.getDispatch({ taskId: id }, ctx.callOptions),
      ctx.clients.scheduler.listGates({ taskId: id }, ctx.callOptions),
    ]);
    return {
      task: task ? toJson(TaskSchema, task) : null,
      dispatch: current ? toJson(DispatchContextSchema, current) : null,
      gates: gates.map((g) => toJson(GateSchema, g)),
    };
  },
};

export const taskTools: readonly OrchestratorTool[] = [taskCreateTool, taskListTool, taskShowTool];
