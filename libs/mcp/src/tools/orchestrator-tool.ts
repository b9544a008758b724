import type { ToolInputSchema } from "../schema/json-schema.js";
import type { McpIdentity } from "../mcp-identity.js";
import type { OrchestratorClients } from "../orchestrator-clients.js";

/** What a tool call gets besides its checked arguments. */
export interface ToolContext {
  readonly clients: OrchestratorClients;
  readonly identity: McpIdentity;
  /** Aborted when the client cancels the call or goes away: pass it to every RPC. */
  readonly signal: AbortSignal;
  /** Call options for RPCs: the signal, and the caller's handle as `x-orchestrator-caller`. */
  readonly callOptions: { signal: AbortSignal; headers: Record<string, string> };
  /** The agent's current dispatch may have changed (it answered it): notifies subscribers of the dispatch resource. */
  readonly dispatchChanged: () => void;
}

/** MCP tool annotations (hints for clients; see the MCP specification). */
export interface ToolHints {
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

/**
 * One MCP tool: a name, what it does for an agent, its input schema (taken
 * from the proto's field rules) and the calls it makes. `call` answers a
 * JSON value (the tool result), or throws ToolArgumentError / ConnectError,
 * which become tool errors naming the field and the reason.
 */
export interface OrchestratorTool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: ToolInputSchema;
  readonly annotations: ToolHints;
  call(args: Record<string, unknown>, ctx: ToolContext): Promise<unknown>;
}

/** The caller's handle, or a ToolArgumentError-worthy explanation of how to set it. */
export const NO_HANDLE =
  "the MCP server has no caller handle: set ORCHESTRATOR_HANDLE in its environment (stdio) or send the x-orchestrator-caller header (HTTP)";
