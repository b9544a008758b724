/**
 * The server side of the web console: the handler that serves its built
 * assets on the control plane's port, and the AgentService relay that lets
 * the browser tail an agent through the control plane. The browser app
 * itself lives in `web/` and is built by `npm run build`.
 */
export { createConsoleHandler, type ConsoleHandlerOptions } from "./create-console-handler.js";
export { consoleAssetsDir } from "./console-assets-dir.js";
export { CONSOLE_CSP, CONSOLE_HEADERS } from "./console-headers.js";
export { createAgentRelayModule, AGENT_HEADER, type AgentRelayOptions } from "./agent-relay-module.js";
