import { existsSync, readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { AgentDispatch } from "./agent-dispatch.js";
import { createAgentMcpWiring, withMcpFlags } from "./agent-mcp-wiring.js";

const SERVER = ["/usr/bin/node", "/opt/orchestrator/bin/orchestrator.js", "mcp"];
const dispatch: AgentDispatch = { messageId: "m", taskId: "t1", dispatchId: "d-1", attempt: 1, replyTo: "scheduler", text: "do it" };

describe("createAgentMcpWiring", () => {
  it("writes the run's mcpServers configuration (identity and key, nothing else), readable by its owner only", () => {
    const wiring = createAgentMcpWiring(SERVER);
    const run = wiring.forRun(["claude", "-p"], { PATH: "/bin", SECRET_OF_MINE: "x", ORCHESTRATOR_HANDLE: "kite-1", ORCHESTRATOR_API_KEY: "k", ORCHESTRATOR_TASK_ID: "t1" }, dispatch);
    const path = run.env["ORCHESTRATOR_MCP_CONFIG"]!;
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({
      mcpServers: {
        orchestrator: { type: "stdio", command: SERVER[0], args: SERVER.slice(1), env: { ORCHESTRATOR_HANDLE: "kite-1", ORCHESTRATOR_API_KEY: "k", ORCHESTRATOR_TASK_ID: "t1" } },
      },
    });
    expect(run.command).toEqual(["claude", "--mcp-config", path, "-p"]);
    expect(run.guide).toContain("worker_done {result, summary}: report task t1 done (dispatch d-1 is filled in)");
    wiring.close();
    expect(existsSync(path)).toBe(false);
  });

  it("gives codex -c overrides that start the server with --config (no key on the command line), and other commands the env only", () => {
    expect(withMcpFlags(["/usr/local/bin/codex", "exec", "-"], "/tmp/x/mcp.json", SERVER)).toEqual([
      "/usr/local/bin/codex",
      "-c",
      'mcp_servers.orchestrator.command="/usr/bin/node"',
      "-c",
      'mcp_servers.orchestrator.args=["/opt/orchestrator/bin/orchestrator.js","mcp","--config","/tmp/x/mcp.json"]',
      "exec",
      "-",
    ]);
    expect(withMcpFlags(["node", "agent.mjs"], "/tmp/x/mcp.json", SERVER)).toEqual(["node", "agent.mjs"]);
  });
});
