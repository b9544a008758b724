/**
 * The orchestrator's MCP server: the mailbox (send, check, reply, inbox),
 * answers to a dispatch (worker_done, escalate), tasks, gates and the fleet
 * (instances, health) as Model Context Protocol tools, and the caller's
 * inbox and current dispatch as subscribable resources. It speaks stdio
 * (`orchestrator mcp`) and Streamable HTTP (`/mcp` on the control plane's
 * port), and is a pure client of the services' contracts.
 */
export { createOrchestratorMcpServer, MCP_SERVER_INFO, type OrchestratorMcpServer, type OrchestratorMcpServerOptions } from "./create-orchestrator-mcp-server.js";
export { createMcpHttpEndpoint, type McpHttpEndpoint, type McpHttpEndpointOptions } from "./create-mcp-http-endpoint.js";
export { serveMcpStdio, type McpStdioOptions } from "./serve-mcp-stdio.js";
export { identityFromEnv, identityFromHeaders, IDENTITY_HEADERS, type McpIdentity } from "./mcp-identity.js";
export { createOrchestratorClients, type OrchestratorAddresses, type OrchestratorClients } from "./orchestrator-clients.js";
export { ORCHESTRATOR_TOOLS } from "./tools/orchestrator-tools.js";
export type { OrchestratorTool } from "./tools/orchestrator-tool.js";
export { DISPATCH_URI, inboxUri } from "./resources/resource-uris.js";
