import { loadConfig } from "@orchestrator/config";
import { initTelemetry, withRootSpan } from "@orchestrator/telemetry";

/** `service.name` of the CLI's spans. */
export const CLI_SERVICE_NAME = "orchestrator-cli";

/**
 * Commands that host servers and set up telemetry under their own service
 * name (`orchestrator-<service>`, `demo-<name>`, `agent-<name>`), or
 * serve a long session (`mcp`); the CLI does not wrap them in a command span. `agent` alone is the runner; its
 * subcommands (`agent tail`, `agent status`) are ordinary clients.
 */
export const SELF_TRACED_COMMANDS: ReadonlySet<string> = new Set(["serve", "up", "demo-instance", "mcp"]);

/** Whether the command at `path` traces itself (see SELF_TRACED_COMMANDS). */
export function isSelfTraced(path: readonly string[]): boolean {
  return SELF_TRACED_COMMANDS.has(path[0]!) || (path.length === 1 && path[0] === "agent");
}

/**
 * Runs one CLI command as a traced client: registers tracing (exported over
 * OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set), runs `run` inside one
 * root span named after the command (`instances register`), so every RPC it
 * makes carries that trace to the services, then flushes the spans before
 * returning. Without a command path, or for a self-traced command, `run`
 * runs as is.
 */
export async function traceCommand(path: readonly string[], version: string, run: () => Promise<unknown>): Promise<void> {
  if (path.length === 0 || isSelfTraced(path)) {
    await run();
    return;
  }
  const { otlpEndpoint } = loadConfig();
  const telemetry = initTelemetry({ serviceName: CLI_SERVICE_NAME, serviceVersion: version, ...(otlpEndpoint ? { otlpEndpoint } : {}) });
  const name = path.join(" ");
  try {
    await withRootSpan(name, run, { "cli.command": name });
  } finally {
    await telemetry.shutdown();
  }
}
