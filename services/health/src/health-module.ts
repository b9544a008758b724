import type { ProbeConfig } from "@orchestrator/config";
import { HealthService } from "@orchestrator/contracts";
import type { DatabaseHandle } from "@orchestrator/db";
import type { ServiceModule } from "@orchestrator/rpc";
import type { Logger } from "pino";
import { createHealthServiceHandler } from "./handlers/health-service.handler.js";
import { InstanceEvents } from "./instances/instance-events.js";
import { InstanceRegistry } from "./instances/instance-registry.service.js";
import type { NewInstance } from "./instances/instance.js";
import { HeartbeatSweeper } from "./probing/heartbeat-sweeper.js";
import { Prober } from "./probing/prober.js";

export interface HealthModuleOptions {
  /** A migrated database. */
  readonly database: DatabaseHandle;
  readonly probe: ProbeConfig;
  readonly logger: Logger;
  /** Registered (replacing) at start, e.g. from ORCHESTRATOR_INSTANCES_FILE. */
  readonly instances?: readonly NewInstance[];
  /** Turn probing off (tests that drive health by hand). @default true */
  readonly probing?: boolean;
}

/** The health service as a module a server hosts, plus its registry for in-process use and tests. */
export interface HealthModule extends ServiceModule {
  readonly registry: InstanceRegistry;
  readonly events: InstanceEvents;
}

/**
 * Builds orchestrator.health.v1.HealthService: the registry, the event hub
 * (one LISTEN per process), the gRPC prober and the heartbeat sweeper. The
 * background parts start with the server and stop before it closes.
 */
export function createHealthModule(options: HealthModuleOptions): HealthModule {
  const { database, probe, logger } = options;
  const registry = new InstanceRegistry(database.db);
  const events = new InstanceEvents(database, logger);
  const prober = new Prober(registry, events, probe, logger);
  const sweeper = new HeartbeatSweeper(database.db, registry, probe.heartbeatTimeoutMs, logger);
  const probing = options.probing ?? true;
  return {
    serviceNames: [HealthService.typeName],
    registry,
    events,
    register(router) {
      router.service(HealthService, createHealthServiceHandler(registry, events));
    },
    async start() {
      await events.start();
      for (const instance of options.instances ?? []) await registry.register(instance, true);
      if (probing) {
        await prober.start();
        sweeper.start();
      }
    },
    async stop() {
      sweeper.stop();
      await prober.stop();
      await events.stop();
    },
  };
}
