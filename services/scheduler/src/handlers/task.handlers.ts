import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  CreateTaskResponseSchema,
  CreateTasksResponseSchema,
  GetTaskResponseSchema,
  ListTasksResponseSchema,
  UpdateTaskResponseSchema,
  type CreateTaskRequest,
  type SchedulerService,
} from "@orchestrator/contracts";
import { durationMs } from "../shared/duration.js";
import { valueToJson } from "../shared/json-value.js";
import type { ManualStatus, TaskService } from "../tasks/task.service.js";
import type { NewTask, TaskStatus } from "../tasks/task.js";
import { taskToProto } from "./to-proto.js";

/** CreateTaskRequest → NewTask (proto defaults: empty means unset). */
export function newTaskFrom(req: CreateTaskRequest): NewTask {
  const timeoutMs = durationMs(req.timeout);
  return {
    ...(req.id ? { id: req.id } : {}),
    spec: req.spec,
    deps: req.deps,
    ...(req.parentId ? { parentId: req.parentId } : {}),
    ...(req.payload ? { payload: valueToJson(req.payload)! } : {}),
    ...(req.target ? { target: req.target } : {}),
    ...(req.maxAttempts ? { maxAttempts: req.maxAttempts } : {}),
    priority: req.priority,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

/** The task RPCs of SchedulerService. */
export function createTaskHandlers(tasks: TaskService): Pick<ServiceImpl<typeof SchedulerService>, "createTask" | "createTasks" | "getTask" | "listTasks" | "updateTask"> {
  return {
    async createTask(req) {
      return create(CreateTaskResponseSchema, { task: taskToProto(await tasks.create(newTaskFrom(req))) });
    },

    async createTasks(req) {
      const created = await tasks.createMany(req.tasks.map(newTaskFrom));
      return create(CreateTasksResponseSchema, { tasks: created.map(taskToProto) });
    },

    async getTask(req) {
      return create(GetTaskResponseSchema, { task: taskToProto(await tasks.get(req.id)) });
    },

    async listTasks(req) {
      const limit = req.limit || 100;
      const status = (req.ready ? "ready" : req.status || undefined) as TaskStatus | undefined;
      const found = await tasks.list({
        ...(status ? { status } : {}),
        ...(req.runId ? { runId: req.runId } : {}),
        ...(req.parentId ? { parentId: req.parentId } : {}),
        ...(req.pageToken ? { afterSeq: req.pageToken } : {}),
        limit,
      });
      return create(ListTasksResponseSchema, {
        tasks: found.map(taskToProto),
        nextPageToken: found.length === limit ? found.at(-1)!.seq : "",
      });
    },

    async updateTask(req) {
      const update = await tasks.update(req.id, req.status as ManualStatus, valueToJson(req.result), req.error);
      return create(UpdateTaskResponseSchema, { task: taskToProto(update.task), affected: [...update.affected] });
    },
  };
}
