import { Command, CommanderError } from "commander";
import { loadClientConfig } from "@orchestrator/config/client";
import { COMMAND_TABLE, findCommandEntry } from "./command-table.js";
import { envDefaults, globalsOf } from "./globals-of.js";
import { oneLineError } from "./output/one-line-error.js";
import { ORCA_ALIASES, commandWordIndex, rewriteSeedArgs } from "./seeds/rewrite-seed-args.js";
import { CLI_VERSION } from "./version.js";

/** The program with its options and no commands yet. */
function programShell(): Command {
  const defaults = envDefaults();
  return new Command("orchestrator")
    .description("control plane for multi-instance delegation: route, fan out, sessions, mailbox, task DAGs, health")
    .version(CLI_VERSION)
    .option("--addr <host:port>", "control plane address (ORCHESTRATOR_ADDR)", defaults.addr)
    // No default shown: the key comes from ORCHESTRATOR_API_KEY when the flag is absent, and is never printed.
    .option("--api-key <key>", "API key (default: ORCHESTRATOR_API_KEY)")
    .option("--json", "machine-readable JSON output", false)
    .option("--timeout-ms <ms>", "deadline per call", (v) => Number.parseInt(v, 10), 30_000)
    .showSuggestionAfterError()
    .configureOutput({ outputError: (text, write) => write(oneLineError(text)) })
    .addHelpText(
      "after",
      `
Orca's commands work too: the \`orchestration\` prefix (orchestrator orchestration send ...) and
${Object.keys(ORCA_ALIASES).join(", ")}.
The dispatcher's \`orchestrator --repo kite --command "fix the bug"\` is \`orchestrator dispatch --repo kite ...\`.

Start here:
  $ npm start                       # control plane + demo instances A-H
  $ orchestrator health --instances A-H --output json`,
    );
}

/**
 * Builds the `orchestrator` program with `only` of its commands (by
 * name), or every one; exported for tests. Commands load on demand (see
 * COMMAND_TABLE), so a run builds just the one it executes.
 */
export async function buildProgram(only?: string): Promise<Command> {
  const program = programShell();
  const entries = only === undefined ? COMMAND_TABLE : COMMAND_TABLE.filter((e) => e.name === only);
  for (const command of await Promise.all(entries.map((e) => e.load()))) program.addCommand(command);
  return program;
}

/** Runs the CLI: parse, act (client commands inside one root span, see traceCommand), print errors for people (or JSON with --json), exit non-zero on failure. */
export async function runCli(argv: readonly string[]): Promise<void> {
  const args = rewriteSeedArgs(argv.slice(2));
  const at = commandWordIndex(args);
  const entry = at >= 0 ? findCommandEntry(args[at]) : undefined;
  const wantsHelp = args.includes("--help") || args.includes("-h");
  // One command's module when the command is known; all of them for the program's help or an unknown word (its suggestion).
  const program = await buildProgram(entry && !(at < 0 && wantsHelp) ? entry.name : undefined);
  program.exitOverride();
  try {
    const { resolveCommandPath } = await import("./tracing/resolve-command-path.js");
    const path = resolveCommandPath(program, args);
    const run = () => program.parseAsync([...argv.slice(0, 2), ...args]);
    // Spans only when they go somewhere: without an exporter the command runs untraced, and starts without OpenTelemetry.
    if (path.length === 0 || !loadClientConfig().otlpEndpoint) await run();
    else await (await import("./tracing/trace-command.js")).traceCommand(path, CLI_VERSION, run);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    const { printError } = await import("./output/print-error.js");
    process.exitCode = printError(err, globalsOf(program).json);
  }
}
