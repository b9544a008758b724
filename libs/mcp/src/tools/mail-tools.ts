import { CheckRequestSchema, InboxRequestSchema, ReplyRequestSchema, SendRequestSchema } from "@orchestrator/contracts";
import { messageJson } from "../render/message-json.js";
import { objectSchema } from "../schema/json-schema.js";
import { protoFieldSchema as field } from "../schema/proto-field-schema.js";
import type { OrchestratorTool } from "./orchestrator-tool.js";
import { ownHandle } from "./own-handle.js";
import { payloadText } from "./payload-text.js";

/**
 * How long a waiting check waits when the call says nothing: under the 60 s
 * request timeout MCP clients (the SDK's among them) apply by default. Longer
 * waits report progress every 15 s when the call carries a progress token.
 */
const DEFAULT_WAIT_MS = 50_000;
/** Deadline of a waiting Check beyond the wait itself. */
const CALL_MARGIN_MS = 10_000;

const PAYLOAD = { description: "Structured data, any JSON value (sent as JSON text)." };

/** `send`: a message to a handle or a group, from the caller's handle. */
export const sendTool: OrchestratorTool = {
  name: "send",
  title: "Send a message",
  description:
    "Send a message to a handle (an agent, a person, `coordinator`) or a group (`@all`, `@idle`, `@healthy`, `@pool:NAME`, `@label:K=V`, `A-H`, `kite-*`): one copy per recipient, one thread. Sent from your own handle.",
  inputSchema: objectSchema(
    {
      to: field(SendRequestSchema, "to", "A handle or a selector."),
      subject: field(SendRequestSchema, "subject", "One line saying what the message is about."),
      body: field(SendRequestSchema, "body", "Free text."),
      type: field(SendRequestSchema, "type", "Message type; default status."),
      priority: field(SendRequestSchema, "priority", "Default normal; urgent and high are read first."),
      thread_id: field(SendRequestSchema, "thread_id", "Thread to add to (e.g. a task id); a new thread when absent."),
      payload: PAYLOAD,
    },
    ["to", "subject"],
  ),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async call(a, ctx) {
    const res = await ctx.clients.mailbox.send(
      {
        to: a["to"] as string,
        subject: a["subject"] as string,
        body: (a["body"] as string | undefined) ?? "",
        type: (a["type"] as string | undefined) ?? "",
        priority: (a["priority"] as string | undefined) ?? "",
        threadId: (a["thread_id"] as string | undefined) ?? "",
        payload: payloadText(a["payload"]),
        from: ctx.identity.handle ?? "",
      },
      ctx.callOptions,
    );
    return { threadId: res.threadId, messages: res.messages.map(messageJson) };
  },
};

/** `check`: the caller's messages; with `wait`, blocks until one arrives (woken by the mailbox's push). */
export const checkTool: OrchestratorTool = {
  name: "check",
  title: "Check your messages",
  description:
    "Read your messages, urgent first, then high, then normal, oldest first; they are marked read unless `peek`. With `wait`, blocks until an unread matching message arrives (returns at once if one is there) or `timeout_ms` passes: use it instead of polling.",
  inputSchema: objectSchema({
    types: field(CheckRequestSchema, "types", "Only these message types; every type when absent."),
    unread_only: field(CheckRequestSchema, "unread_only", "Only unread messages (always the case with wait)."),
    limit: field(CheckRequestSchema, "limit", "Most messages returned; default 50."),
    wait: field(CheckRequestSchema, "wait", "Block until an unread matching message exists."),
    timeout_ms: field(
      CheckRequestSchema,
      "timeout_ms",
      `How long wait blocks, in milliseconds; default ${DEFAULT_WAIT_MS} (under the 60 s most MCP clients give a call). Check again after a timeout.`,
    ),
    peek: { type: "boolean", description: "Leave the returned messages unread." },
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async call(a, ctx) {
    const wait = a["wait"] === true;
    const timeoutMs = (a["timeout_ms"] as number | undefined) || DEFAULT_WAIT_MS;
    const res = await ctx.clients.mailbox.check(
      {
        handle: ownHandle(ctx),
        types: (a["types"] as string[] | undefined) ?? [],
        unreadOnly: a["unread_only"] === true,
        limit: (a["limit"] as number | undefined) ?? 0,
        markRead: a["peek"] !== true,
        wait,
        timeoutMs: wait ? timeoutMs : 0,
      },
      { ...ctx.callOptions, ...(wait ? { timeoutMs: timeoutMs + CALL_MARGIN_MS } : {}) },
    );
    return { messages: res.messages.map(messageJson), timedOut: res.timedOut };
  },
};

/** `reply`: answers a message in its thread, from the caller's handle. */
export const replyTool: OrchestratorTool = {
  name: "reply",
  title: "Reply to a message",
  description: "Answer a message: a new message to its sender, in its thread; the answered message is marked read.",
  inputSchema: objectSchema(
    {
      id: field(ReplyRequestSchema, "id", "The id of the message answered."),
      body: field(ReplyRequestSchema, "body", "Free text."),
      subject: field(ReplyRequestSchema, "subject", "Default: Re: and the answered subject."),
      type: field(ReplyRequestSchema, "type", "Message type; default status."),
      priority: field(ReplyRequestSchema, "priority", "Default normal."),
      payload: PAYLOAD,
    },
    ["id"],
  ),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async call(a, ctx) {
    const res = await ctx.clients.mailbox.reply(
      {
        id: a["id"] as string,
        body: (a["body"] as string | undefined) ?? "",
        subject: (a["subject"] as string | undefined) ?? "",
        type: (a["type"] as string | undefined) ?? "",
        priority: (a["priority"] as string | undefined) ?? "",
        payload: payloadText(a["payload"]),
        from: ctx.identity.handle ?? "",
      },
      ctx.callOptions,
    );
    return { message: res.message ? messageJson(res.message) : null };
  },
};

/** `inbox`: the caller's recent messages, newest first, read and unread, reading nothing. */
export const inboxTool: OrchestratorTool = {
  name: "inbox",
  title: "List your inbox",
  description: "List your recent messages, read and unread, newest first, a page at a time; marks nothing read.",
  inputSchema: objectSchema({
    limit: field(InboxRequestSchema, "limit", "Page size; default 50."),
    page_token: field(InboxRequestSchema, "page_token", "next_page_token of the previous page."),
    unread_only: field(InboxRequestSchema, "unread_only", "Only unread messages."),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async call(a, ctx) {
    const res = await ctx.clients.mailbox.inbox(
      {
        handle: ownHandle(ctx),
        limit: (a["limit"] as number | undefined) ?? 0,
        pageToken: (a["page_token"] as string | undefined) ?? "",
        unreadOnly: a["unread_only"] === true,
      },
      ctx.callOptions,
    );
    return { messages: res.messages.map(messageJson), nextPageToken: res.nextPageToken, unreadCount: Number(res.unreadCount) };
  },
};

export const mailTools: readonly OrchestratorTool[] = [sendTool, checkTool, replyTool, inboxTool];
