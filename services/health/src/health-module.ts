import type { ProbeConfig } from "@orchestrator/config";
import { HealthService } from "@orchestrator/contracts";
import type { DatabaseHandle } from "@orchestrator/db";
import type { ServiceModule } from "@orchestrator/rpc";
import type { Logger } from "pino";
import { createHealthServiceHandler } from "./handlers/health-service.handler.js";
import { InstanceEvents } from "./instances/instance-events.js";
import { InstanceRegistry } from "./instances/instance-registry.service.js";
import type { NewInstance } from "./instances/instance.js";
import { LocalProvisioner } from "./pools/local-provisioner.js";
import { PoolAllocator } from "./pools/pool-allocator.service.js";
import { PoolDirectory } from "./pools/pool-directory.service.js";
import { PoolManager, type PoolManagerOptions } from "./pools/pool-manager.js";
import { PoolProvisioning } from "./pools/pool-provisioning.service.js";
import type { PoolTemplate } from "./pools/pool-template.js";
import { PoolTemplates } from "./pools/pool-templates.service.js";
import type { Provisioner } from "./pools/provisioner.js";
import { HeartbeatSweeper } from "./probing/heartbeat-sweeper.js";
import { Prober } from "./probing/prober.js";

/** How the default (local) provisioner starts agents: supplied by the app that hosts the module. */
export interface AgentLaunch {
  /** argv prefix that runs the `orchestrator` command, e.g. `[process.execPath, "/app/apps/cli/bin/orchestrator.js"]`. */
  readonly launcher: readonly string[];
  /** ORCHESTRATOR_ADDR, ORCHESTRATOR_HEALTH_ADDR, ORCHESTRATOR_API_KEY for the agents; called at each provision. */
  readonly controlPlaneEnv: () => Readonly<Record<string, string>>;
}

export interface HealthModuleOptions {
  /** A migrated database. */
  readonly database: DatabaseHandle;
  readonly probe: ProbeConfig;
  readonly logger: Logger;
  /** Registered (replacing) at start, e.g. from ORCHESTRATOR_INSTANCES_FILE. */
  readonly instances?: readonly NewInstance[];
  /** Turn probing off (tests that drive health by hand). @default true */
  readonly probing?: boolean;
  /** Pool templates (ORCHESTRATOR_POOLS_FILE): pools whose instances are provisioned; more can be applied at run time (ApplyPools). @default [] */
  readonly pools?: readonly PoolTemplate[];
  /** ORCHESTRATOR_DATA_DIR: applied pools' working copies default to `<dataDir>/pools`. @default ".orchestrator" */
  readonly dataDir?: string;
  /** Runs provisioned instances. @default a LocalProvisioner starting `agents` */
  readonly provisioner?: Provisioner;
  /** For the default LocalProvisioner; required when `pools` are given without a `provisioner`. */
  readonly agents?: AgentLaunch;
  readonly poolManager?: PoolManagerOptions;
}

/** The health service as a module a server hosts, plus its registry for in-process use and tests. */
export interface HealthModule extends ServiceModule {
  readonly registry: InstanceRegistry;
  readonly events: InstanceEvents;
  readonly allocator: PoolAllocator;
  /** Present when pools have templates. */
  readonly poolManager: PoolManager | undefined;
}

/**
 * Builds orchestrator.health.v1.HealthService: the registry, the event hub
 * (one LISTEN per process), the gRPC prober, the heartbeat sweeper, and the
 * pools (allocation with provisioning, the pool manager). The background
 * parts start with the server and stop before it closes; provisioned agent
 * processes are stopped with the module.
 */
export function createHealthModule(options: HealthModuleOptions): HealthModule {
  const { database, probe, logger } = options;
  const registry = new InstanceRegistry(database.db);
  const events = new InstanceEvents(database, logger);
  const prober = new Prober(registry, events, probe, logger);
  const sweeper = new HeartbeatSweeper(database.db, registry, probe.heartbeatTimeoutMs, logger);
  const probing = options.probing ?? true;
  const templates = new PoolTemplates(database.db, options.pools ?? [], options.dataDir);
  // Pools can be applied at run time: a provisioner whenever one can be made (the boot file's pools need one).
  const provisioner = options.provisioner ?? (options.agents || templates.fromFile.length > 0 ? localProvisioner(options) : undefined);
  const provisioning = provisioner && new PoolProvisioning(database.db, events, provisioner, logger);
  const allocator = new PoolAllocator(registry, events, provisioning, templates, logger);
  const directory = new PoolDirectory(database.db, templates, provisioning);
  const poolManager = provisioning && new PoolManager(database.db, events, provisioning, templates, logger, options.poolManager);
  return {
    serviceNames: [HealthService.typeName],
    registry,
    events,
    allocator,
    poolManager,
    register(router) {
      router.service(HealthService, createHealthServiceHandler(registry, events, { allocator, directory, templates }));
    },
    async start() {
      await events.start();
      for (const instance of options.instances ?? []) await registry.register(instance, true);
      if (probing) {
        await prober.start();
        sweeper.start();
      }
      poolManager?.start();
    },
    async stop() {
      await poolManager?.stop();
      sweeper.stop();
      await prober.stop();
      await events.stop();
    },
  };
}

function localProvisioner(options: HealthModuleOptions): Provisioner {
  if (!options.agents) throw new Error("pool templates need a provisioner: pass `agents` (launcher and control-plane environment) or `provisioner`");
  return new LocalProvisioner({ ...options.agents, logger: options.logger });
}
