import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type CallToolResult,
} from "@modelcontextprotocol/sdk/types.js";
import { CALLER_HEADER } from "@orchestrator/rpc";
import type { McpIdentity } from "./mcp-identity.js";
import type { OrchestratorClients } from "./orchestrator-clients.js";
import { listResources, readResource } from "./resources/read-resource.js";
import { ResourceSubscriptions } from "./resources/resource-subscriptions.js";
import { DISPATCH_URI } from "./resources/resource-uris.js";
import { checkArguments } from "./schema/check-arguments.js";
import { toolErrorText } from "./tool-error-text.js";
import { ORCHESTRATOR_TOOLS } from "./tools/orchestrator-tools.js";
import type { ToolContext } from "./tools/orchestrator-tool.js";

/** How often a call that carries a progress token reports that it is still running. */
const PROGRESS_INTERVAL_MS = 15_000;

/** Name and version the server announces. */
export const MCP_SERVER_INFO = { name: "orchestrator", version: "0.1.0" } as const;

/** What one MCP session is built from. */
export interface OrchestratorMcpServerOptions {
  readonly clients: OrchestratorClients;
  readonly identity: McpIdentity;
  /** How often a call carrying a progress token reports it is still running. @default 15000 */
  readonly progressIntervalMs?: number;
}

/** One MCP session's server, and how to stop what it follows. */
export interface OrchestratorMcpServer {
  readonly server: Server;
  /** Aborts one in-flight request (its client went away): its RPCs are cancelled. */
  abortRequest(id: string | number): void;
  /** Resources followed now (mailbox Subscribe streams held). */
  subscriptionCount(): number;
}

/**
 * Builds the orchestrator's MCP server for one session (connect it to a
 * transport): the tools (see ORCHESTRATOR_TOOLS), each with an input schema
 * derived from the proto's field rules and arguments checked against it
 * before anything is sent; tool errors (`isError`) name the field and the
 * reason; the resources `orchestrator://mailbox/<handle>` and
 * `orchestrator://dispatch/current`, with subscriptions pushed from the
 * mailbox. It keeps no state of its own beyond the session: every answer
 * comes from the services' RPCs, made with the caller's handle as
 * `x-orchestrator-caller`. Closing the session aborts its in-flight calls
 * (a waiting `check` frees its mailbox waiter) and its subscriptions.
 */
export function createOrchestratorMcpServer(options: OrchestratorMcpServerOptions): OrchestratorMcpServer {
  const { clients, identity } = options;
  const handle = identity.handle;
  const server = new Server(MCP_SERVER_INFO, {
    capabilities: { tools: {}, resources: { subscribe: true } },
    instructions: instructionsFor(handle),
  });
  const headers: Record<string, string> = handle ? { [CALLER_HEADER]: handle } : {};
  const subscriptions = new ResourceSubscriptions(clients.mailbox, handle, (uri) => void server.sendResourceUpdated({ uri }).catch(() => undefined), headers);
  const inFlight = new Map<string | number, AbortController>();
  const tools = new Map(ORCHESTRATOR_TOOLS.map((t) => [t.name, t]));

  const contextFor = (signal: AbortSignal): ToolContext => ({
    clients,
    identity,
    signal,
    callOptions: { signal, headers },
    dispatchChanged: () => {
      if (subscriptions.subscribable(DISPATCH_URI)) void server.sendResourceUpdated({ uri: DISPATCH_URI }).catch(() => undefined);
    },
  });

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: ORCHESTRATOR_TOOLS.map((t) => ({ name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema, annotations: t.annotations })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const tool = tools.get(request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `unknown tool ${request.params.name}: the tools are ${[...tools.keys()].join(", ")}`);
    const abort = new AbortController();
    const onAbort = () => abort.abort(extra.signal.reason);
    extra.signal.addEventListener("abort", onAbort, { once: true });
    inFlight.set(extra.requestId, abort);
    // A long call (a waiting check) reports progress, so a client that resets its timeout on progress keeps waiting.
    const progressToken = request.params._meta?.progressToken;
    let beats = 0;
    const heartbeat =
      progressToken === undefined
        ? undefined
        : setInterval(() => {
            beats++;
            extra
              .sendNotification({ method: "notifications/progress", params: { progressToken, progress: beats, message: `${tool.name}: still working` } })
              .catch(() => undefined);
          }, options.progressIntervalMs ?? PROGRESS_INTERVAL_MS);
    try {
      const args = checkArguments(tool.inputSchema, request.params.arguments);
      const value = await tool.call(args, contextFor(abort.signal));
      const structured = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
      return { content: [{ type: "text", text: JSON.stringify(value) }], structuredContent: structured };
    } catch (error) {
      return { content: [{ type: "text", text: toolErrorText(error) }], isError: true };
    } finally {
      if (heartbeat) clearInterval(heartbeat);
      extra.signal.removeEventListener("abort", onAbort);
      inFlight.delete(extra.requestId);
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: listResources(handle) }));

  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    const text = await readResource(request.params.uri, contextFor(extra.signal)).catch((error: unknown) => {
      throw new McpError(ErrorCode.InternalError, toolErrorText(error));
    });
    if (text === undefined) throw new McpError(ErrorCode.InvalidParams, `unknown resource ${request.params.uri}`);
    return { contents: [{ uri: request.params.uri, mimeType: "application/json", text }] };
  });

  server.setRequestHandler(SubscribeRequestSchema, (request) => {
    if (!subscriptions.subscribable(request.params.uri)) throw new McpError(ErrorCode.InvalidParams, `cannot subscribe to ${request.params.uri}`);
    subscriptions.subscribe(request.params.uri);
    return {};
  });

  server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscriptions.unsubscribe(request.params.uri);
    return {};
  });

  const onclose = server.onclose;
  server.onclose = () => {
    subscriptions.closeAll();
    for (const abort of inFlight.values()) abort.abort(new Error("MCP session closed"));
    onclose?.();
  };

  return {
    server,
    abortRequest: (id) => inFlight.get(id)?.abort(new Error("the client went away")),
    subscriptionCount: () => subscriptions.size,
  };
}

function instructionsFor(handle: string | undefined): string {
  return [
    `The orchestrator's mailbox, scheduler and fleet${handle ? `, as ${handle}` : ""}.`,
    "When a task is dispatched to you, report it with worker_done (result) when finished, or escalate (question, options) when blocked; never stall silently.",
    "Wait for messages with check {wait: true} (or subscribe to your inbox resource) instead of polling.",
  ].join(" ");
}
