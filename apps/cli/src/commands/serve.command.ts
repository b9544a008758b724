import { Command } from "commander";
import { loadConfig } from "@orchestrator/config";
import { installSignalHandlers } from "@orchestrator/rpc";
import { SERVICE_NAMES, type ServiceName } from "../control-plane/service-names.js";

/** `orchestrator serve <service...>`: run services alone, configured by the environment (how Kubernetes runs them). */
export function serveCommand(): Command {
  return new Command("serve")
    .description(`run one or more services, configured by environment (${SERVICE_NAMES.join(", ")})`)
    .argument("<services...>", `services to host on one port: ${SERVICE_NAMES.join(", ")}`)
    .addHelpText(
      "after",
      `
Environment: ORCHESTRATOR_HOST, ORCHESTRATOR_PORT, ORCHESTRATOR_API_KEY, DATABASE_URL,
ORCHESTRATOR_PROBE_INTERVAL_MS, ... (see README, Configuration).

Examples:
  $ DATABASE_URL=postgres://postgres@127.0.0.1/orchestrator orchestrator serve health
  $ ORCHESTRATOR_HOST=0.0.0.0 ORCHESTRATOR_API_KEY=secret orchestrator serve health`,
    )
    .action(async (services: string[]) => {
      const unknown = services.filter((s) => !(SERVICE_NAMES as readonly string[]).includes(s));
      if (unknown.length > 0) throw new Error(`unknown service "${unknown[0]}": choose from ${SERVICE_NAMES.join(", ")}`);
      const { startControlPlane } = await import("../control-plane/start-control-plane.js");
      const plane = await startControlPlane(loadConfig(), services as ServiceName[]);
      installSignalHandlers(plane.server, plane.logger);
    });
}
