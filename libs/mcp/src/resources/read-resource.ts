import { toJson } from "@bufbuild/protobuf";
import { DispatchContextSchema, GateSchema, TaskSchema } from "@orchestrator/contracts";
import { messageJson } from "../render/message-json.js";
import { findCurrentDispatch } from "../tools/current-dispatch.js";
import type { ToolContext } from "../tools/orchestrator-tool.js";
import { DISPATCH_URI, inboxUri } from "./resource-uris.js";

/** The resources a session offers: its own inbox and its current dispatch (none without a handle). */
export function listResources(handle: string | undefined) {
  if (!handle) return [];
  return [
    {
      uri: inboxUri(handle),
      name: "inbox",
      title: `Inbox of ${handle}`,
      description: "Your recent messages, newest first, with the unread count. Subscribe to be told when a message arrives.",
      mimeType: "application/json",
    },
    {
      uri: DISPATCH_URI,
      name: "current-dispatch",
      title: "Your current dispatch",
      description: "The task dispatched to you: its spec, status, dispatch (attempt, reply-to, preamble) and gates. Subscribe to be told when a new dispatch arrives or you answer it.",
      mimeType: "application/json",
    },
  ];
}

/** Reads a resource as JSON text; undefined for a URI this session does not offer. */
export async function readResource(uri: string, ctx: ToolContext): Promise<string | undefined> {
  const handle = ctx.identity.handle;
  if (handle && uri === inboxUri(handle)) {
    const res = await ctx.clients.mailbox.inbox({ handle, limit: 50 }, ctx.callOptions);
    return JSON.stringify({ handle, unreadCount: Number(res.unreadCount), messages: res.messages.map(messageJson) });
  }
  if (handle && uri === DISPATCH_URI) {
    const d = await findCurrentDispatch(ctx);
    if (!d) return JSON.stringify({ task: null, dispatch: null, gates: [] });
    const [{ task }, { gates }] = await Promise.all([
      ctx.clients.scheduler.getTask({ id: d.taskId }, ctx.callOptions),
      ctx.clients.scheduler.listGates({ taskId: d.taskId }, ctx.callOptions),
    ]);
    return JSON.stringify({
      task: task ? toJson(TaskSchema, task) : null,
      dispatch: d.context ? toJson(DispatchContextSchema, d.context) : null,
      replyTo: d.replyTo,
      gates: gates.map((g) => toJson(GateSchema, g)),
    });
  }
  return undefined;
}
