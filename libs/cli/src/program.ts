import { Command, CommanderError } from "commander";
import { allocateCommand, releaseCommand } from "./commands/allocate.command.js";
import { demoInstanceCommand } from "./commands/demo-instance.command.js";
import { healthCommand } from "./commands/health.command.js";
import { instancesCommand } from "./commands/instances.command.js";
import { serveCommand } from "./commands/serve.command.js";
import { upCommand } from "./commands/up.command.js";
import { envDefaults, globalsOf } from "./global-options.js";
import { printError } from "./output/print-error.js";

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
    demoInstanceCommand(),
    instancesCommand(),
    healthCommand(),
    allocateCommand(),
    releaseCommand(),
  ]) {
    program.addCommand(command);
  }
  return program;
}

/** Runs the CLI: parse, act, print errors for people (or JSON with --json), exit non-zero on failure. */
export async function runCli(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    process.exitCode = printError(err, globalsOf(program).json);
  }
}

