import type { OrchestratorConfig } from "@orchestrator/config";
import { consoleAssetsDir, createAgentRelayModule, createConsoleHandler } from "@orchestrator/console";
import { allFiles } from "@orchestrator/contracts";
import { migrateToLatest, openDatabase } from "@orchestrator/db";
import { createMcpHttpEndpoint } from "@orchestrator/mcp";
import { assertAuthConfigured, RepeatedFailureLog, startServer, type RunningServer, type ServiceModule } from "@orchestrator/rpc";
import { createDatabaseReadiness } from "./create-database-readiness.js";
import { createLogger, initTelemetry } from "@orchestrator/telemetry";
import { join } from "node:path";
import type { Logger } from "pino";
import type { ModuleContext } from "./module-context.js";
import { SERVICE_NAMES, serviceFactories, type ServiceName } from "./service-factories.js";

export { SERVICE_NAMES, type ServiceName };

export interface ControlPlane {
  readonly server: RunningServer;
  readonly logger: Logger;
  /** The hosted modules by service (in-process callers and tests reach a service's internals here). */
  readonly modules: ReadonlyMap<ServiceName, ServiceModule>;
  close(): Promise<void>;
}

/**
 * Starts the given services in one process on one port: telemetry, the
 * database (Postgres at DATABASE_URL, else PGlite under the data dir),
 * migrations, the modules, then the server. Shutdown runs in the reverse
 * order: readiness off, background work stopped, streams drained, server
 * closed, database closed, spans flushed.
 */
export async function startControlPlane(config: OrchestratorConfig, services: readonly ServiceName[]): Promise<ControlPlane> {
  const missing = services.filter((s) => !serviceFactories[s]);
  if (missing.length > 0) {
    const available = SERVICE_NAMES.filter((s) => serviceFactories[s]);
    throw new Error(`service "${missing[0]}" is not available in this release (available: ${available.join(", ")})`);
  }
  assertAuthConfigured(config.host, config.apiKeys);
  const ordered = SERVICE_NAMES.filter((s) => services.includes(s));
  const logger = createLogger({ name: `orchestrator-${ordered.join("+")}`, level: config.logLevel });
  const telemetry = initTelemetry({
    serviceName: ordered.length === 1 ? `orchestrator-${ordered[0]}` : "orchestrator",
    serviceVersion: "0.1.0",
    ...(config.otlpEndpoint ? { otlpEndpoint: config.otlpEndpoint } : {}),
  });
  const connectionErrors = new RepeatedFailureLog(logger);
  const database = await openDatabase({
    ...(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: join(config.dataDir, "pgdata") }),
    applicationName: `orchestrator-${ordered.join("+")}`,
    // Idle pool clients and the LISTEN client lose their connection together in an outage: one line, then summaries.
    onError: (err) => connectionErrors.failed("database connection", err),
  });
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ migrations: applied }, "database migrated");
    let bound: string | undefined;
    const selfAddress = () => bound ?? config.addr;
    const explicitHealth = config.healthAddr !== config.addr;
    const context: ModuleContext = {
      config,
      database,
      logger,
      selfAddress,
      healthAddress: () => (explicitHealth || !ordered.includes("health") ? config.healthAddr : selfAddress()),
      apiKey: config.apiKeys[0],
    };
    const byName = new Map<ServiceName, ServiceModule>();
    for (const name of ordered) byName.set(name, await serviceFactories[name]!(context));
    // Streamable HTTP MCP at /mcp, a client of the services like any other (see libs/mcp).
    const mcp = createMcpHttpEndpoint({
      apiKeys: config.apiKeys,
      logger,
      addresses: () => ({
        mailbox: byName.has("mailbox") ? selfAddress() : (config.scheduler.mailboxAddr ?? config.addr),
        scheduler: byName.has("scheduler") ? selfAddress() : config.addr,
        health: context.healthAddress(),
      }),
    });
    // The web console: its assets on this port (before the RPC router), and AgentService relayed to agents for its output tails.
    const modules = [
      ...byName.values(),
      createAgentRelayModule({ healthAddress: context.healthAddress, apiKey: config.apiKeys[0] }),
      { serviceNames: [], register: () => {}, stop: () => mcp.close() },
    ];
    const readiness = createDatabaseReadiness(config, database, byName, logger);
    const server = await startServer({
      host: config.host,
      port: config.port,
      apiKeys: config.apiKeys,
      modules,
      httpHandlers: [mcp.handler, createConsoleHandler({ dir: consoleAssetsDir() })],
      reflectionFiles: allFiles,
      logger,
      drainTimeoutMs: config.drainTimeoutMs,
      onClose: [async () => readiness.stop(), () => database.close(), () => telemetry.shutdown()],
      readMaxBytes: config.readMaxBytes,
      onListening: (address: string) => {
        bound = address;
      },
    });
    bound = server.address;
    readiness.start(server.health);
    logger.info({ address: server.address, services: ordered, database: database.kind }, "control plane listening");
    return { server, logger, modules: byName, close: () => server.close() };
  } catch (err) {
    await database.close();
    await telemetry.shutdown();
    throw err;
  }
}
