import { Command } from "commander";
import { loadConfig } from "@orchestrator/config";
import { globalsOf } from "../global-options.js";
import { readMcpConfigEnv } from "../mcp/read-mcp-config-env.js";

/**
 * `orchestrator mcp`: the MCP server over stdio, for an agent on this
 * machine (its MCP client spawns this command). The SDK and the tools load
 * only here, so other commands start as fast as before. Identity comes from
 * the environment the agent runner sets (ORCHESTRATOR_HANDLE, _TASK_ID,
 * _DISPATCH_ID, _REPLY_TO), the services from --addr / ORCHESTRATOR_ADDR.
 */
export function mcpCommand(): Command {
  return new Command("mcp")
    .description("serve the orchestrator's MCP tools (mailbox, worker_done/escalate, tasks, gates, health) over stdio for a coding agent")
    .option("--handle <handle>", "act as this handle (ORCHESTRATOR_HANDLE): the sender of send/reply, the mailbox of check/inbox")
    .option("--config <file>", "take the environment (handle, task, address, key) from mcpServers.orchestrator.env of this MCP configuration file")
    .addHelpText(
      "after",
      `
Tools: send, check (wait), reply, inbox, worker_done, escalate, task_create,
task_list, task_show, gate_create, gate_resolve, instances, health.
Resources: orchestrator://mailbox/<handle>, orchestrator://dispatch/current (subscribable).
Remote agents use Streamable HTTP at http://HOST:PORT/mcp on the control plane
(Authorization: Bearer <key>, x-orchestrator-caller: <handle>).

Examples:
  $ claude mcp add orchestrator --env ORCHESTRATOR_HANDLE=alice -- npx orchestrator mcp
  $ ORCHESTRATOR_HANDLE=kite-1 ORCHESTRATOR_ADDR=10.0.0.5:50051 orchestrator mcp
  $ orchestrator mcp --config /tmp/orchestrator-mcp-x/mcp.json   # what the agent runner gives codex`,
    )
    .action(async (o: { handle?: string; config?: string }, command: Command) => {
      const { identityFromEnv, serveMcpStdio } = await import("@orchestrator/mcp");
      const fileEnv = o.config ? readMcpConfigEnv(o.config) : {};
      const env = { ...process.env, ...fileEnv };
      const config = loadConfig(env);
      const globals = globalsOf(command);
      const addr = fileEnv["ORCHESTRATOR_ADDR"] ?? globals.addr;
      const apiKey = fileEnv["ORCHESTRATOR_API_KEY"] ?? globals.apiKey;
      const identity = { ...identityFromEnv(env), ...(o.handle?.trim() ? { handle: o.handle.trim() } : {}) };
      await serveMcpStdio({
        addresses: { mailbox: config.scheduler.mailboxAddr ?? addr, scheduler: addr, health: env["ORCHESTRATOR_HEALTH_ADDR"] ?? addr },
        ...(apiKey ? { apiKey } : {}),
        identity,
      });
      // The client closed the session: open HTTP/2 connections to the services must not keep the process alive.
      process.exit(0);
    });
}
