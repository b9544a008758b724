import { loadConfig } from "@orchestrator/config";
import { installSignalHandlers } from "@orchestrator/rpc";
import { createLogger } from "@orchestrator/telemetry";
import { Command } from "commander";
import { globalsOf } from "../global-options.js";

/**
 * `orchestrator terminal host --name H --workdir DIR --command CMD`: the
 * process that holds one terminal (started detached by `terminal create`
 * and `terminal split`, rarely by hand). It writes one JSON line on stdout
 * once registered, `{"ready": true, "name", "address", "pid", "hostPid"}`,
 * and nothing after; it ends on `terminal close`, SIGTERM or SIGINT.
 */
export function terminalHostCommand(): Command {
  return new Command("host")
    .description("hold one terminal: its command under a pseudo-terminal, registered as an instance (started by terminal create)")
    .requiredOption("--name <handle>", "the terminal's handle")
    .requiredOption("--workdir <dir>", "where the command runs (its worktree)")
    .requiredOption("--command <cmd>", "the command line to run")
    .option("--title <text>", "the terminal's title", "")
    .option("--split-from <handle>", "the terminal it was split from")
    .option("--direction <direction>", "horizontal or vertical (with --split-from)")
    .addHelpText("after", "\nExamples:\n  $ orchestrator terminal host --name term_ab12cd --workdir ~/kite --command bash   # what terminal create runs, detached")
    .action(async (o: { name: string; workdir: string; command: string; title: string; splitFrom?: string; direction?: string }, command: Command) => {
      // The host's own code (server, registration, pseudo-terminal) loads only here, not for the other terminal commands.
      const { startTerminalHost } = await import("@orchestrator/agent");
      const config = loadConfig();
      const globals = globalsOf(command);
      const logger = createLogger({ name: `terminal-${o.name}`, level: config.logLevel });
      const host = await startTerminalHost({
        name: o.name,
        command: o.command,
        workdir: o.workdir,
        title: o.title,
        ...(o.splitFrom ? { splitFrom: o.splitFrom, direction: o.direction ?? "horizontal" } : {}),
        controlPlane: config.healthAddr !== config.addr ? config.healthAddr : globals.addr,
        mailboxAddress: globals.addr,
        ...(globals.apiKey ? { apiKey: globals.apiKey } : {}),
        serverApiKeys: config.apiKeys.length > 0 ? config.apiKeys : globals.apiKey ? [globals.apiKey] : [],
        env: process.env,
        logger,
      });
      process.stdout.write(`${JSON.stringify({ ready: true, name: host.name, address: host.address, pid: host.pid, hostPid: process.pid })}\n`);
      // The reader goes away once it has the line: nothing more is written there.
      process.stdout.on("error", () => undefined);
      installSignalHandlers({ close: () => host.close() }, logger);
      await host.ended;
      process.exit(0);
    });
}
