import { Command, CommanderError } from "commander";
import { allocateCommand, releaseCommand } from "./commands/allocate.command.js";
import { poolsCommand } from "./commands/pools.command.js";
import { agentCommand } from "./commands/agent.command.js";
import { demoInstanceCommand } from "./commands/demo-instance.command.js";
import { healthCommand } from "./commands/health.command.js";
import { instancesCommand } from "./commands/instances.command.js";
import { mcpCommand } from "./commands/mcp.command.js";
import { migrateCommand } from "./commands/migrate.command.js";
import { serveCommand } from "./commands/serve.command.js";
import { upCommand } from "./commands/up.command.js";
import { checkCommand } from "./commands/check.command.js";
import { inboxCommand } from "./commands/inbox.command.js";
import { markReadCommand } from "./commands/mark-read.command.js";
import { replyCommand } from "./commands/reply.command.js";
import { resetCommand } from "./commands/reset.command.js";
import { dispatchCommand, dispatchShowCommand } from "./commands/dispatch.command.js";
import { gateCommand } from "./commands/gate.command.js";
import { runCommand, runShowCommand, runsCommand, runStopCommand } from "./commands/run.command.js";
import { taskCommand } from "./commands/task.command.js";
import { sendCommand } from "./commands/send.command.js";
import { subscribeCommand } from "./commands/subscribe.command.js";
import { fanoutCommand } from "./commands/fanout.command.js";
import { routeCommand } from "./commands/route.command.js";
import { sessionSendCommand, sessionSpawnCommand, sessionsCommand } from "./commands/sessions.command.js";
import { envDefaults, globalsOf } from "./global-options.js";
import { printError } from "./output/print-error.js";
import { resolveCommandPath } from "./tracing/resolve-command-path.js";
import { traceCommand } from "./tracing/trace-command.js";

/** Builds the `orchestrator` program; exported for tests. */
export function buildProgram(): Command {
  const defaults = envDefaults();
  const program = new Command("orchestrator")
    .description("control plane for multi-instance delegation: route, fan out, sessions, mailbox, task DAGs, health")
    .version("0.1.0")
    .option("--addr <host:port>", "control plane address (ORCHESTRATOR_ADDR)", defaults.addr)
    .option("--api-key <key>", "API key (ORCHESTRATOR_API_KEY)", defaults.apiKey)
    .option("--json", "machine-readable JSON output", false)
    .option("--timeout-ms <ms>", "deadline per call", (v) => Number.parseInt(v, 10), 30_000)
    .showHelpAfterError()
    .addHelpText("after", "\nStart here:\n  $ npm start                       # control plane + demo instances A-H\n  $ orchestrator health --instances A-H --output json");
  for (const command of [
    upCommand(),
    serveCommand(),
    migrateCommand(),
    demoInstanceCommand(),
    agentCommand(),
    instancesCommand(),
    healthCommand(),
    allocateCommand(),
    releaseCommand(),
    poolsCommand(),
    routeCommand(),
    fanoutCommand(),
    sessionsCommand(),
    sessionSpawnCommand("sessions_spawn"),
    sessionSendCommand("sessions_send"),
    sendCommand(),
    checkCommand(),
    replyCommand(),
    inboxCommand(),
    subscribeCommand(),
    markReadCommand(),
    mcpCommand(),
    taskCommand(),
    dispatchCommand(),
    dispatchShowCommand(),
    gateCommand(),
    runCommand(),
    runShowCommand(),
    runsCommand(),
    runStopCommand(),
    resetCommand(),
  ]) {
    program.addCommand(command);
  }
  return program;
}

/** Runs the CLI: parse, act (client commands inside one root span, see traceCommand), print errors for people (or JSON with --json), exit non-zero on failure. */
export async function runCli(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await traceCommand(resolveCommandPath(program, argv.slice(2)), program.version() ?? "0.1.0", () => program.parseAsync([...argv]));
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    process.exitCode = printError(err, globalsOf(program).json);
  }
}

