import { readFileSync } from "node:fs";

/**
 * The `env` of the `orchestrator` server in an MCP configuration file (the
 * `{"mcpServers": {"orchestrator": {"env": {...}}}}` JSON the agent runner
 * writes for each run), so `orchestrator mcp --config <file>` gets the run's
 * identity and key without them on any command line. Throws naming the
 * file and what is wrong with it.
 */
export function readMcpConfigEnv(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`--config ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const env = (parsed as { mcpServers?: { orchestrator?: { env?: unknown } } } | null)?.mcpServers?.orchestrator?.env;
  if (env === undefined) return {};
  if (env === null || typeof env !== "object" || Array.isArray(env) || Object.values(env).some((v) => typeof v !== "string")) {
    throw new Error(`--config ${path}: mcpServers.orchestrator.env must be an object of strings`);
  }
  return env as Record<string, string>;
}
