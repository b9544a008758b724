import { Command } from "commander";
import { Code, ConnectError } from "@connectrpc/connect";
import { grpcHealth, HealthService, HealthState, MailboxService, RouterService, SchedulerService } from "@orchestrator/contracts";
import { clientFor, globalsOf } from "../global-options.js";
import { printJson } from "../output/print.js";
import { CLI_VERSION } from "../version.js";

/** The services a control plane may host, by the name grpc.health.v1 knows them. */
const SERVICES = { health: HealthService.typeName, router: RouterService.typeName, mailbox: MailboxService.typeName, scheduler: SchedulerService.typeName } as const;

/** What `orchestrator status --json` answers. */
export interface ControlPlaneStatus {
  /** Whether a control plane answered at `addr` (Orca's `runtime: true`). */
  runtime: boolean;
  addr: string;
  cliVersion: string;
  /** Each service's grpc.health.v1 status: serving, not_serving, or absent (not hosted there). */
  services: Record<string, string>;
  /** Registered instances and how many are healthy; absent when the key was refused or the health service is elsewhere. */
  instances?: { total: number; healthy: number };
  error?: string;
}

/**
 * `orchestrator status`: is the control plane up at ORCHESTRATOR_ADDR, and
 * with what: each service's grpc.health.v1 status (no key needed) and the
 * instance count. Exits 1 when nothing answers.
 */
export function statusCommand(): Command {
  return new Command("status")
    .description("say whether the control plane is up at --addr, which services it serves, and how many instances it knows")
    .addHelpText("after", "\nExamples:\n  $ orchestrator status\n  $ orchestrator status --json\n  {\"runtime\":true,\"addr\":\"127.0.0.1:50051\",\"services\":{\"health\":\"serving\",...},\"instances\":{\"total\":8,\"healthy\":8}}")
    .action(async (_o, command: Command) => {
      const g = globalsOf(command);
      const status: ControlPlaneStatus = { runtime: false, addr: g.addr, cliVersion: CLI_VERSION, services: {} };
      const health = clientFor(grpcHealth.Health, command);
      try {
        await health.check({ service: "" }, { timeoutMs: Math.min(g.timeoutMs, 5000) });
        status.runtime = true;
      } catch (error) {
        status.error = ConnectError.from(error).rawMessage;
      }
      if (status.runtime) {
        for (const [name, typeName] of Object.entries(SERVICES)) {
          try {
            const res = await health.check({ service: typeName });
            status.services[name] = grpcHealth.HealthCheckResponse_ServingStatus[res.status]!.toLowerCase();
          } catch (error) {
            if (ConnectError.from(error).code !== Code.NotFound) status.services[name] = "unknown";
          }
        }
        if (status.services.health === "serving") {
          try {
            const { instances } = await clientFor(HealthService, command).listInstances({ selectors: [] });
            status.instances = { total: instances.length, healthy: instances.filter((i) => i.health === HealthState.HEALTHY).length };
          } catch {
            // Refused (no or wrong key): the services' statuses still say what is up.
          }
        }
      }
      if (g.json) printJson(status);
      else if (status.runtime) {
        const services = Object.entries(status.services).map(([n, s]) => `${n} ${s}`).join(", ");
        const instances = status.instances ? `; ${status.instances.healthy} of ${status.instances.total} instance(s) healthy` : "";
        process.stdout.write(`control plane up at ${status.addr}: ${services || "no orchestrator service"}${instances}\n`);
      } else process.stdout.write(`no control plane at ${status.addr} (${status.error}); start one with \`npm start\` or \`orchestrator up\`, or set ORCHESTRATOR_ADDR\n`);
      if (!status.runtime) process.exitCode = 1;
    });
}
