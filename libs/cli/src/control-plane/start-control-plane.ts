import type { OrchestratorConfig } from "@orchestrator/config";
import { allFiles } from "@orchestrator/contracts";
import { migrateToLatest, openDatabase } from "@orchestrator/db";
import { createHealthModule, loadInstancesFile } from "@orchestrator/health";
import { startServer, type RunningServer, type ServiceModule } from "@orchestrator/rpc";
import { createLogger, initTelemetry } from "@orchestrator/telemetry";
import { join } from "node:path";
import type { Logger } from "pino";

/** The services one process can host. */
export const SERVICE_NAMES = ["health", "router", "mailbox", "scheduler"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Services built so far; the others are announced by later releases. */
const AVAILABLE: ReadonlySet<ServiceName> = new Set(["health"]);

export interface ControlPlane {
  readonly server: RunningServer;
  readonly logger: Logger;
  close(): Promise<void>;
}

/**
 * Starts the given services in one process on one port: telemetry, the
 * database (Postgres at DATABASE_URL, else PGlite under the data dir),
 * migrations, then the server. Shutdown runs in the reverse order: readiness
 * off, background work stopped, streams drained, server closed, database
 * closed, spans flushed.
 */
export async function startControlPlane(config: OrchestratorConfig, services: readonly ServiceName[]): Promise<ControlPlane> {
  for (const s of services) {
    if (!AVAILABLE.has(s)) throw new Error(`service "${s}" is not available in this release (available: ${[...AVAILABLE].join(", ")})`);
  }
  const logger = createLogger({ name: `orchestrator-${services.join("+")}`, level: config.logLevel });
  const telemetry = initTelemetry({
    serviceName: services.length === 1 ? `orchestrator-${services[0]}` : "orchestrator",
    serviceVersion: "0.1.0",
    ...(config.otlpEndpoint ? { otlpEndpoint: config.otlpEndpoint } : {}),
  });
  const database = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: join(config.dataDir, "pgdata") },
  );
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ migrations: applied }, "database migrated");
    const modules: ServiceModule[] = [];
    if (services.includes("health")) {
      const instances = config.instancesFile ? await loadInstancesFile(config.instancesFile) : [];
      modules.push(createHealthModule({ database, probe: config.probe, logger, instances }));
    }
    const server = await startServer({
      host: config.host,
      port: config.port,
      apiKeys: config.apiKeys,
      modules,
      reflectionFiles: allFiles,
      logger,
      drainTimeoutMs: config.drainTimeoutMs,
      onClose: [() => database.close(), () => telemetry.shutdown()],
    });
    logger.info({ address: server.address, services, database: database.kind }, "control plane listening");
    return { server, logger, close: () => server.close() };
  } catch (err) {
    await database.close();
    await telemetry.shutdown();
    throw err;
  }
}
