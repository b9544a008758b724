import type { OrchestratorConfig } from "@orchestrator/config";
import { pingDatabase, type DatabaseHandle } from "@orchestrator/db";
import { createReadinessMonitor, type ReadinessMonitor, type ServiceModule } from "@orchestrator/rpc";
import type { Logger } from "pino";
import type { ServiceName } from "./service-names.js";

/**
 * Services whose readiness follows the database. The router is left out: Route
 * and Fanout need no database, so a router keeps routing through an outage
 * (its session RPCs answer UNAVAILABLE `database_unavailable` meanwhile).
 */
const NEEDS_DATABASE: ReadonlySet<ServiceName> = new Set(["health", "mailbox", "scheduler"]);

/**
 * The readiness monitor of one process: `SELECT 1` every
 * `readiness.databaseProbeIntervalMs`; after `readiness.databaseGraceMs` of
 * failures the hosted services that need the database report NOT_SERVING on
 * grpc.health.v1 (Kubernetes readiness), and SERVING again once it answers.
 */
export function createDatabaseReadiness(
  config: OrchestratorConfig,
  database: DatabaseHandle,
  modules: ReadonlyMap<ServiceName, ServiceModule>,
  logger: Logger,
): ReadinessMonitor {
  return createReadinessMonitor({
    dependency: "database",
    probe: () => pingDatabase(database.db),
    serviceNames: [...modules].flatMap(([name, module]) => (NEEDS_DATABASE.has(name) ? module.serviceNames : [])),
    graceMs: config.readiness.databaseGraceMs,
    intervalMs: config.readiness.databaseProbeIntervalMs,
    logger,
  });
}
