import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { AgentDispatch } from "./agent-dispatch.js";
import { renderMcpGuide } from "./render-mcp-guide.js";

/** The environment variables the MCP server of a run is given (its identity, and where the services are). */
const SERVER_ENV = [
  "ORCHESTRATOR_HANDLE",
  "ORCHESTRATOR_ADDR",
  "ORCHESTRATOR_HEALTH_ADDR",
  "ORCHESTRATOR_API_KEY",
  "ORCHESTRATOR_TASK_ID",
  "ORCHESTRATOR_DISPATCH_ID",
  "ORCHESTRATOR_REPLY_TO",
] as const;

/** How one run is started when the MCP server is wired in. */
export interface McpRun {
  /** The agent command, with the flags that load the MCP configuration for the agents that take them. */
  readonly command: readonly string[];
  /** The run's environment plus ORCHESTRATOR_MCP_CONFIG. */
  readonly env: NodeJS.ProcessEnv;
  /** What the run's input adds after the dispatch text: the tools to answer with. */
  readonly guide: string;
}

/** Gives each run of an agent the orchestrator MCP server (see createAgentMcpWiring). */
export interface AgentMcpWiring {
  forRun(command: readonly string[], env: NodeJS.ProcessEnv, dispatch: AgentDispatch): McpRun;
  /** Removes the configuration files. */
  close(): void;
}

/**
 * Wires `orchestrator mcp` (run as `server`, e.g. `[node, cli.js, "mcp"]`)
 * into every run: the run's MCP configuration is written, readable by the
 * runner's user only, to a private directory as the `mcpServers` JSON that
 * Claude Code's `--mcp-config` and most MCP clients read, with the run's
 * identity (handle, task, dispatch, reply-to) and key in the server's `env`.
 * Every command finds its path in ORCHESTRATOR_MCP_CONFIG; `claude` gets
 * `--mcp-config <path>`, and `codex` gets `-c mcp_servers.orchestrator.*`
 * overrides that start the server with `--config <path>` (so the key stays
 * off the command line). The run's input then teaches the tools.
 */
export function createAgentMcpWiring(server: readonly string[]): AgentMcpWiring {
  const dir = mkdtempSync(join(tmpdir(), "orchestrator-mcp-"));
  chmodSync(dir, 0o700);
  const path = join(dir, "mcp.json");
  const [program, ...args] = server;
  return {
    forRun(command, env, dispatch) {
      const serverEnv: Record<string, string> = {};
      for (const name of SERVER_ENV) if (env[name]) serverEnv[name] = env[name];
      const config = { mcpServers: { orchestrator: { type: "stdio", command: program, args, env: serverEnv } } };
      writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
      return { command: withMcpFlags(command, path, server), env: { ...env, ORCHESTRATOR_MCP_CONFIG: path }, guide: renderMcpGuide(dispatch) };
    },
    close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The command with the flags its agent reads an MCP configuration from, right after the program. */
export function withMcpFlags(command: readonly string[], configPath: string, server: readonly string[]): readonly string[] {
  const [program, ...rest] = command;
  switch (basename(program ?? "")) {
    case "claude":
      return [program!, "--mcp-config", configPath, ...rest];
    case "codex": {
      const toml = (s: string) => JSON.stringify(s); // a TOML basic string is a JSON string for these characters
      const args = [...server.slice(1), "--config", configPath];
      return [
        program!,
        "-c",
        `mcp_servers.orchestrator.command=${toml(server[0]!)}`,
        "-c",
        `mcp_servers.orchestrator.args=[${args.map(toml).join(",")}]`,
        ...rest,
      ];
    }
    default:
      return command;
  }
}
