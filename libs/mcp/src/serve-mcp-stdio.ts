import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createOrchestratorMcpServer } from "./create-orchestrator-mcp-server.js";
import type { McpIdentity } from "./mcp-identity.js";
import { createOrchestratorClients, type OrchestratorAddresses } from "./orchestrator-clients.js";

/** What `orchestrator mcp` serves over stdio. */
export interface McpStdioOptions {
  readonly addresses: OrchestratorAddresses;
  readonly apiKey?: string;
  readonly identity: McpIdentity;
  /** @default process.stdin */
  readonly stdin?: NodeJS.ReadableStream & { on: NodeJS.ReadStream["on"] };
  /** @default process.stdout */
  readonly stdout?: NodeJS.WritableStream;
}

/**
 * Serves one MCP session over stdio (the client spawned this process) and
 * resolves when it ends: the client closed stdin or the transport closed.
 * Closing aborts in-flight calls, so a waiting `check` frees its mailbox
 * waiter at once. Nothing but protocol messages is written to stdout.
 */
export async function serveMcpStdio(options: McpStdioOptions): Promise<void> {
  const stdin = options.stdin ?? process.stdin;
  const mcp = createOrchestratorMcpServer({ clients: createOrchestratorClients(options.addresses, options.apiKey), identity: options.identity });
  const closed = new Promise<void>((resolve) => {
    const previous = mcp.server.onclose;
    mcp.server.onclose = () => {
      previous?.();
      resolve();
    };
  });
  await mcp.server.connect(new StdioServerTransport(stdin as NodeJS.ReadStream, (options.stdout ?? process.stdout) as NodeJS.WriteStream));
  const end = () => {
    mcp.server.close().catch(() => undefined); // closing an already closed transport: nothing left to do
  };
  stdin.on("end", end);
  stdin.on("close", end);
  await closed;
}
