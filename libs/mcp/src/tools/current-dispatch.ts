import { Code, ConnectError } from "@connectrpc/connect";
import type { DispatchContext } from "@orchestrator/contracts";
import { ToolArgumentError } from "../tool-argument-error.js";
import type { ToolContext } from "./orchestrator-tool.js";

/** The dispatch an answer is about. */
export interface CurrentDispatch {
  readonly taskId: string;
  readonly dispatchId: string;
  /** Where `worker_done` and `escalation` go. */
  readonly replyTo: string;
  /** The dispatch context as the scheduler has it, when it knows it. */
  readonly context: DispatchContext | undefined;
}

/** How far back the inbox is searched for the latest dispatch message. */
const INBOX_SCAN = 100;

/**
 * The dispatch the caller is working on: the task (and dispatch) the call
 * names, else the run's (ORCHESTRATOR_TASK_ID / _DISPATCH_ID / _REPLY_TO, or
 * the HTTP session's headers), else the latest `dispatch` message in the
 * caller's mailbox; completed from the scheduler's dispatch record
 * (GetDispatch). Undefined when nothing names one.
 */
export async function findCurrentDispatch(ctx: ToolContext, given: { taskId?: string; dispatchId?: string } = {}): Promise<CurrentDispatch | undefined> {
  let taskId = given.taskId;
  let dispatchId = given.dispatchId;
  let replyTo: string | undefined;
  if (!taskId && ctx.identity.taskId) {
    taskId = ctx.identity.taskId;
    dispatchId ??= ctx.identity.dispatchId;
    replyTo = ctx.identity.replyTo;
  }
  if (!taskId && ctx.identity.handle) {
    const latest = await latestDispatchMessage(ctx, ctx.identity.handle);
    if (latest) ({ taskId, dispatchId = latest.dispatchId, replyTo } = latest);
  }
  if (!taskId) return undefined;
  let history: DispatchContext[];
  let current: DispatchContext | undefined;
  try {
    ({ current, history } = await ctx.clients.scheduler.getDispatch({ taskId }, ctx.callOptions));
  } catch (error) {
    const e = ConnectError.from(error);
    if (e.code === Code.NotFound || e.code === Code.InvalidArgument) throw new ToolArgumentError([{ field: "task_id", reason: e.rawMessage }]);
    throw e;
  }
  if (!current) throw new ToolArgumentError([{ field: "task_id", reason: `task ${taskId} was never dispatched` }]);
  const id = dispatchId ?? current.id;
  const context = history.find((c) => c.id === id);
  if (!context) throw new ToolArgumentError([{ field: "dispatch_id", reason: `task ${taskId} has no dispatch ${id}` }]);
  return { taskId, dispatchId: id, replyTo: replyTo ?? context.replyTo, context };
}

async function latestDispatchMessage(ctx: ToolContext, handle: string): Promise<{ taskId: string; dispatchId?: string; replyTo?: string } | undefined> {
  const { messages } = await ctx.clients.mailbox.inbox({ handle, limit: INBOX_SCAN }, ctx.callOptions);
  for (const m of messages) {
    if (m.type !== "dispatch") continue;
    try {
      const p = JSON.parse(m.payload) as { task?: unknown; dispatch?: unknown; replyTo?: unknown };
      if (typeof p.task !== "string" || p.task === "") continue;
      return {
        taskId: p.task,
        ...(typeof p.dispatch === "string" ? { dispatchId: p.dispatch } : {}),
        ...(typeof p.replyTo === "string" ? { replyTo: p.replyTo } : { replyTo: m.from }),
      };
    } catch {
      continue;
    }
  }
  return undefined;
}
