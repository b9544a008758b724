import { Command } from "commander";
import { shellCommandLine, startAgentRunner } from "@orchestrator/agent";
import { loadConfig } from "@orchestrator/config";
import { installSignalHandlers } from "@orchestrator/rpc";
import { createLogger, initTelemetry } from "@orchestrator/telemetry";
import { agentStatusCommand } from "../agent/agent-status.command.js";
import { agentTailCommand } from "../agent/agent-tail.command.js";
import { type AgentFlags, parseAgentFlags } from "../agent/parse-agent-flags.js";
import { globalsOf } from "../global-options.js";

/**
 * `orchestrator agent --name kite-1 --pool kite --workdir ~/kite -- claude -p`:
 * runs a coding agent's command as an instance (see startAgentRunner), and
 * `agent tail` / `agent status` to look at one. The flags are what a pool's
 * provisioner passes; every one is checked before any network call.
 */
export function agentCommand(): Command {
  return new Command("agent")
    .description("run a coding agent's command (claude -p, codex exec, a script) as an instance that takes dispatched tasks")
    .usage("--name <name> --pool <pool> --workdir <dir> [options] -- <command...>\n       orchestrator agent tail|status <name>")
    .argument("[command...]", "the agent command and its arguments, after --")
    .option("--name <name>", "instance name and mailbox handle, e.g. kite-1")
    .option("--pool <pool>", "pool it joins, e.g. kite")
    .option("--label <key=value>", "label (repeatable); agent=<command name> is added unless given", (v: string, all: string[] | undefined) => [...(all ?? []), v])
    .option("--workdir <dir>", "where every run starts: the agent's working copy")
    .option("--input <mode>", "how the task text reaches the command: arg (its last argument) or stdin", "arg")
    .option("--timeout <duration>", "deadline of one run (a dispatch's smaller timeout wins)", "30m")
    .option("--output-lines <n>", "output lines kept for `agent tail`", "500")
    .option("--listen <host:port>", "where the runner serves AgentService (tail, status)", "127.0.0.1:0")
    .option("--heartbeat-interval <duration>", "time between heartbeats", "1s")
    .option("--no-mcp", "do not give runs the orchestrator MCP server (ORCHESTRATOR_MCP_CONFIG, --mcp-config for claude, -c for codex)")
    .addHelpText(
      "after",
      `
Each dispatched task runs the command once, in --workdir, with the task text
(preamble and spec, after any messages that arrived meanwhile) as its last
argument or on stdin. Exit 0 answers worker_done (result: the output's last
\`\`\`json block or JSON value, else its tail); anything else answers an
escalation. Runs see ORCHESTRATOR_HANDLE, ORCHESTRATOR_ADDR, ORCHESTRATOR_TASK_ID,
ORCHESTRATOR_DISPATCH_ID, ORCHESTRATOR_REPLY_TO and ORCHESTRATOR_CLI, and the
orchestrator MCP server (\`orchestrator mcp\`) in ORCHESTRATOR_MCP_CONFIG, a
JSON mcpServers file (claude gets --mcp-config <file>, codex -c overrides);
the task text then teaches its tools (worker_done, escalate, check, ...).
The health service is ORCHESTRATOR_HEALTH_ADDR when set, else --addr.

Examples:
  $ orchestrator agent --name kite-1 --pool kite --workdir ~/kite -- claude -p
  $ orchestrator agent --name kite-2 --pool kite --workdir ~/kite2 --input stdin --timeout 1h -- codex exec -
  $ orchestrator agent tail kite-1 --follow
  $ orchestrator agent status kite-1`,
    )
    .addCommand(agentTailCommand())
    .addCommand(agentStatusCommand())
    .action(async (words: string[], o: Partial<AgentFlags> & { mcp?: boolean }, command: Command) => {
      for (const flag of ["name", "pool", "workdir"] as const) {
        if (!o[flag]) throw new Error(`--${flag} is required, e.g. orchestrator agent --name kite-1 --pool kite --workdir ~/kite -- claude -p`);
      }
      const settings = parseAgentFlags({ ...o, label: o.label ?? [] } as AgentFlags, words, { ...(process.env.PATH ? { PATH: process.env.PATH } : {}) });
      const config = loadConfig();
      const globals = globalsOf(command);
      const logger = createLogger({ name: `agent-${settings.name}`, level: config.logLevel });
      const telemetry = initTelemetry({
        serviceName: `agent-${settings.name}`,
        serviceVersion: command.parent?.version() ?? "0.1.0",
        ...(config.otlpEndpoint ? { otlpEndpoint: config.otlpEndpoint } : {}),
      });
      const serverApiKeys = config.apiKeys.length > 0 ? config.apiKeys : globals.apiKey ? [globals.apiKey] : [];
      const agent = await startAgentRunner({
        ...settings,
        // ORCHESTRATOR_HEALTH_ADDR when it is set apart from the control plane's address, else --addr.
        controlPlane: config.healthAddr !== config.addr ? config.healthAddr : globals.addr,
        mailboxAddress: globals.addr,
        ...(globals.apiKey ? { apiKey: globals.apiKey } : {}),
        serverApiKeys,
        env: process.env,
        cli: shellCommandLine([process.execPath, process.argv[1]!]),
        ...(o.mcp === false ? {} : { mcpServer: [process.execPath, process.argv[1]!, "mcp"] }),
        logger,
        echo: (line) => process.stdout.write(`[${line.stream}] ${line.text}\n`),
      });
      const close = async () => {
        await agent.close();
        await telemetry.shutdown();
      };
      installSignalHandlers({ close }, logger);
      // Started by a provisioner with an IPC channel: leave with it.
      if (process.send) {
        process.once("disconnect", () => {
          close().then(
            () => process.exit(0),
            (err: unknown) => {
              logger.error({ err }, "shutdown failed");
              process.exit(1);
            },
          );
        });
      }
    });
}
