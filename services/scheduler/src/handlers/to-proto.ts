import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  DispatchContextSchema,
  GateSchema,
  RunningTaskSchema,
  RunSchema,
  TaskCountsSchema,
  TaskSchema,
  type DispatchContext,
  type Gate,
  type Run,
  type RunningTask as RunningTaskProto,
  type Task,
} from "@orchestrator/contracts";
import type { DispatchContextRecord } from "../dispatch/dispatch-context.js";
import type { GateRecord } from "../gates/gate.js";
import type { RunningTask, RunRecord, TaskCounts } from "../runs/run.js";
import { msDuration } from "../shared/duration.js";
import { jsonToValue } from "../shared/json-value.js";
import type { TaskRecord } from "../tasks/task.js";

const ts = (d: Date | null | undefined) => (d ? timestampFromDate(d) : undefined);

/** TaskRecord → orchestrator.scheduler.v1.Task. */
export function taskToProto(t: TaskRecord): Task {
  return create(TaskSchema, {
    id: t.id,
    spec: t.spec,
    deps: [...t.deps],
    parentId: t.parentId ?? "",
    payload: jsonToValue(t.payload),
    target: t.target ?? "",
    status: t.status,
    priority: t.priority,
    maxAttempts: t.maxAttempts,
    timeout: t.timeoutMs !== null ? msDuration(t.timeoutMs) : undefined,
    result: jsonToValue(t.result),
    error: t.error ?? "",
    failureReason: t.failureReason ?? "",
    failedDependency: t.failedDependency ?? "",
    attempts: t.attempts,
    pendingDeps: Math.max(0, t.pendingDeps),
    runId: t.runId ?? "",
    key: t.key ?? "",
    createdAt: ts(t.createdAt),
    updatedAt: ts(t.updatedAt),
    finishedAt: ts(t.finishedAt),
  });
}

/** DispatchContextRecord → DispatchContext. */
export function contextToProto(c: DispatchContextRecord): DispatchContext {
  return create(DispatchContextSchema, {
    id: c.id,
    taskId: c.taskId,
    attempt: c.attempt,
    target: c.target,
    instance: c.instance,
    kind: c.kind,
    status: c.status,
    consecutiveFailures: c.consecutiveFailures,
    preamble: c.preamble,
    replyTo: c.replyTo,
    owner: c.owner,
    messageId: c.messageId ?? "",
    traceId: c.traceId ?? "",
    result: jsonToValue(c.result),
    error: c.error ?? "",
    runId: c.runId ?? "",
    dispatchedAt: ts(c.dispatchedAt),
    deadlineAt: ts(c.deadlineAt),
    finishedAt: ts(c.finishedAt),
  });
}

/** GateRecord → Gate. */
export function gateToProto(g: GateRecord): Gate {
  return create(GateSchema, {
    id: g.id,
    taskId: g.taskId,
    question: g.question,
    options: [...g.options],
    defaultOption: g.defaultOption ?? "",
    deadline: ts(g.deadlineAt),
    status: g.status,
    resolution: g.resolution ?? "",
    resolvedBy: g.resolvedBy ?? "",
    notify: g.notify,
    messageId: g.messageId ?? "",
    createdAt: ts(g.createdAt),
    resolvedAt: ts(g.resolvedAt),
    source: g.source,
  });
}

/** A run (its result only when `withResult`) with its counts → Run. */
export function runToProto(r: RunRecord, counts: TaskCounts, withResult: boolean): Run {
  return create(RunSchema, {
    id: r.id,
    status: r.status,
    spec: r.spec,
    specFormat: r.specFormat,
    maxConcurrency: r.maxConcurrency,
    target: r.target,
    counts: create(TaskCountsSchema, counts),
    result: withResult ? jsonToValue(r.result) : undefined,
    error: r.error ?? "",
    owner: r.owner ?? "",
    leaseExpiresAt: ts(r.leaseExpiresAt),
    takeovers: r.takeovers,
    createdAt: ts(r.createdAt),
    updatedAt: ts(r.updatedAt),
    finishedAt: ts(r.finishedAt),
    coordinator: r.coordinator ?? "",
  });
}

/** RunningTask → RunningTask (proto). */
export function runningToProto(t: RunningTask): RunningTaskProto {
  return create(RunningTaskSchema, { taskId: t.taskId, key: t.key ?? "", instance: t.instance, attempt: t.attempt, dispatchedAt: ts(t.dispatchedAt) });
}
