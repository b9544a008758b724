import { Command } from "commander";
import { loadConfig } from "@orchestrator/config";
import { createLogger, initTelemetry } from "@orchestrator/telemetry";

/** `orchestrator demo-instance --name A`: one demo worker whose behaviour the payload steers. */
export function demoInstanceCommand(): Command {
  return new Command("demo-instance")
    .description("run a demo instance (echo, delay, fail N times, hang, crash: steered by the payload)")
    .requiredOption("-n, --name <name>", "instance name")
    .option("--port <port>", "port to serve on (0 = any free port)", (v) => Number.parseInt(v, 10), 0)
    .option("--pool <pool>", "pool", "demo")
    .option("--control-plane <addr>", "health service to register with (default ORCHESTRATOR_HEALTH_ADDR)")
    .option("--scheduler <addr>", "hold a Work stream to this scheduler, which then pushes tasks down it (default: none, unary Execute only)")
    .option("--slots <n>", "tasks at once on the Work stream", (v) => Number.parseInt(v, 10), 16)
    .addHelpText(
      "after",
      `
Payloads it understands (anything else is echoed):
  {"demo": {"delayMs": 500}}                      answer after 500 ms
  {"demo": {"fail": 2, "key": "k1"}}               fail the first 2 calls with key k1 (UNAVAILABLE)
  {"demo": {"hang": true}}                         never answer until cancelled
  {"demo": {"crash": true}}                        exit the process at once

Examples:
  $ orchestrator demo-instance --name C --pool demo
  $ orchestrator demo-instance --name P --pool demo --scheduler 127.0.0.1:7000 --slots 4`,
    )
    .action(async (o: { name: string; port: number; pool: string; controlPlane?: string; scheduler?: string; slots: number }, command: Command) => {
      const config = loadConfig();
      const logger = createLogger({ name: `demo-${o.name}`, level: config.logLevel });
      // Its spans (Execute, health probes answered) join the caller's trace; exported when OTEL_EXPORTER_OTLP_ENDPOINT is set.
      const telemetry = initTelemetry({
        serviceName: `demo-${o.name}`,
        serviceVersion: command.parent?.version() ?? "0.1.0",
        ...(config.otlpEndpoint ? { otlpEndpoint: config.otlpEndpoint } : {}),
      });
      const started = import("@orchestrator/worker").then(({ runDemoInstance }) =>
        runDemoInstance({
          name: o.name,
          port: o.port,
          pool: o.pool,
          controlPlane: o.controlPlane ?? config.healthAddr,
          ...(o.scheduler ? { scheduler: o.scheduler, slots: o.slots } : {}),
          ...(config.apiKeys[0] ? { apiKey: config.apiKeys[0] } : {}),
          logger,
        }),
      );
      // Handlers before the start completes: a signal while it loads or registers (a registration and its first
      // report are calls to the health service) stops the instance once started, rather than killing it unflushed.
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        started
          .then((worker) => worker.close())
          .finally(() => telemetry.shutdown())
          .then(
            () => process.exit(0),
            (err: unknown) => {
              logger.error({ err }, "shutdown failed");
              process.exit(1);
            },
          );
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      const worker = await started;
      logger.info({ name: o.name, address: worker.address }, "demo instance serving");
      // Started by `orchestrator up`: leave with the parent.
      if (process.send) process.once("disconnect", stop);
    });
}
