import { CreateGateRequestSchema, GetDispatchRequestSchema, SendRequestSchema, UpdateTaskRequestSchema } from "@orchestrator/contracts";
import { objectSchema } from "../schema/json-schema.js";
import { protoFieldSchema as field } from "../schema/proto-field-schema.js";
import { ToolArgumentError } from "../tool-argument-error.js";
import { type CurrentDispatch, findCurrentDispatch } from "./current-dispatch.js";
import type { OrchestratorTool, ToolContext } from "./orchestrator-tool.js";

const TASK_ID = field(GetDispatchRequestSchema, "task_id", "The task answered; default: your current dispatch's (ORCHESTRATOR_TASK_ID).");
// A dispatch id is the thread id of its messages, so the thread rule is the dispatch id's.
const DISPATCH_ID = field(SendRequestSchema, "thread_id", "The dispatch answered; default: the task's current one (ORCHESTRATOR_DISPATCH_ID).");

/** The live dispatch an answer is for; a tool error when there is none or it is over. */
async function liveDispatch(a: Record<string, unknown>, ctx: ToolContext): Promise<CurrentDispatch> {
  const given = { ...(a["task_id"] ? { taskId: a["task_id"] as string } : {}), ...(a["dispatch_id"] ? { dispatchId: a["dispatch_id"] as string } : {}) };
  const d = await findCurrentDispatch(ctx, given);
  if (!d) {
    throw new ToolArgumentError([{ field: "task_id", reason: "no current dispatch: pass task_id (ORCHESTRATOR_TASK_ID is not set and no dispatch message reached you)" }]);
  }
  if (d.context && d.context.status !== "dispatched") {
    throw new ToolArgumentError([{ field: "dispatch_id", reason: `dispatch ${d.dispatchId} of task ${d.taskId} is ${d.context.status}, not in flight: nothing was sent` }]);
  }
  return d;
}

async function answer(ctx: ToolContext, d: CurrentDispatch, m: { type: string; priority: string; subject: string; body: string; payload: Record<string, unknown> }) {
  const res = await ctx.clients.mailbox.send(
    {
      to: d.replyTo,
      from: ctx.identity.handle ?? "",
      type: m.type,
      priority: m.priority,
      subject: m.subject,
      body: m.body,
      threadId: d.dispatchId,
      payload: JSON.stringify({ task: d.taskId, dispatch: d.dispatchId, ...m.payload }),
    },
    ctx.callOptions,
  );
  ctx.dispatchChanged();
  return { sent: res.messages[0]?.id ?? "", type: m.type, to: d.replyTo, task: d.taskId, dispatch: d.dispatchId };
}

/** `worker_done`: reports the current dispatch finished, with its result; the scheduler completes the task. */
export const workerDoneTool: OrchestratorTool = {
  name: "worker_done",
  title: "Report your task done",
  description:
    "Report that you finished the task dispatched to you, with its result. This is how the scheduler learns the task is done (its dependents then become ready); without it the task times out and goes to someone else. The task and dispatch default to your current ones.",
  inputSchema: objectSchema({
    result: { description: "The task's result, any JSON value (e.g. {\"summary\": \"...\", \"files\": [...]})." },
    summary: field(SendRequestSchema, "body", "What you did, in words (the message body; the result when no result is given)."),
    task_id: TASK_ID,
    dispatch_id: DISPATCH_ID,
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async call(a, ctx) {
    const d = await liveDispatch(a, ctx);
    return answer(ctx, d, {
      type: "worker_done",
      priority: "normal",
      subject: `done: ${d.taskId}`,
      body: (a["summary"] as string | undefined) ?? "",
      payload: a["result"] === undefined ? {} : { result: a["result"] },
    });
  },
};

/** `escalate`: asks a person to decide (a gate opens on the task), or reports the task cannot be done (`error`: retried elsewhere). */
export const escalateTool: OrchestratorTool = {
  name: "escalate",
  title: "Escalate: ask for a decision",
  description:
    "When you are blocked, unsure or cannot finish, do not stall: escalate. With a question (and options), a decision gate opens on your task and a person decides; then stop, and the task comes back with the decision in its preamble. With `error` instead, the attempt counts as failed and the task is retried elsewhere. The task and dispatch default to your current ones.",
  inputSchema: objectSchema(
    {
      question: field(SendRequestSchema, "subject", "The question to decide, in one line."),
      details: field(SendRequestSchema, "body", "What blocks you: context for whoever decides."),
      options: field(CreateGateRequestSchema, "options", "The choices, e.g. [\"ship\", \"hold\"]."),
      error: field(UpdateTaskRequestSchema, "error", "Report a failure instead of asking: the attempt fails and the task is retried elsewhere."),
      task_id: TASK_ID,
      dispatch_id: DISPATCH_ID,
    },
    ["question"],
  ),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async call(a, ctx) {
    const d = await liveDispatch(a, ctx);
    const error = a["error"] as string | undefined;
    const options = a["options"] as string[] | undefined;
    return answer(ctx, d, {
      type: "escalation",
      priority: "high",
      subject: a["question"] as string,
      body: (a["details"] as string | undefined) ?? "",
      payload: error ? { error } : options && options.length > 0 ? { options } : {},
    });
  },
};

export const dispatchTools: readonly OrchestratorTool[] = [workerDoneTool, escalateTool];
