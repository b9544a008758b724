import { createHealthModule, loadInstancesFile, loadPoolsFile } from "@orchestrator/health";
import { createMailboxModule } from "@orchestrator/mailbox";
import { createRouterModule } from "@orchestrator/router";
import { createSchedulerModule } from "@orchestrator/scheduler";
import { agentLauncher } from "./agent-launcher.js";
import type { ModuleFactory } from "./module-context.js";

/** The services one process can host, in the order they start. */
import { SERVICE_NAMES, type ServiceName } from "./service-names.js";

export { SERVICE_NAMES, type ServiceName };

/**
 * How each service is composed. One line per service: a service that is not
 * listed here is not built yet, and `serve`/`up` say so.
 */
export const serviceFactories: Partial<Record<ServiceName, ModuleFactory>> = {
  health: async ({ config, database, logger, healthAddress, selfAddress, apiKey }) =>
    createHealthModule({
      database,
      probe: config.probe,
      logger,
      instances: config.instancesFile ? await loadInstancesFile(config.instancesFile) : [],
      pools: config.poolsFile ? loadPoolsFile(config.poolsFile, { dataDir: config.dataDir }) : [],
      dataDir: config.dataDir,
      agents: {
        launcher: agentLauncher(),
        // Agents dial ORCHESTRATOR_ADDR when set, else this process (an address ending in :0 was never set: port 0 binds anew).
        controlPlaneEnv: () => ({
          ORCHESTRATOR_ADDR: config.addr.endsWith(":0") ? selfAddress() : config.addr,
          ORCHESTRATOR_HEALTH_ADDR: healthAddress(),
          ...(apiKey ? { ORCHESTRATOR_API_KEY: apiKey } : {}),
        }),
      },
    }),
  router: ({ config, database, logger, healthAddress, apiKey }) => createRouterModule({ database, logger, healthAddress, apiKey, config: config.router }),
  mailbox: ({ config, database, logger, healthAddress, apiKey }) => createMailboxModule({ database, logger, healthAddress, apiKey, config: config.mailbox }),
  scheduler: ({ config, database, logger, healthAddress, selfAddress, apiKey }) =>
    createSchedulerModule({
      database,
      logger,
      healthAddress,
      routerAddress: () => config.scheduler.routerAddr ?? selfAddress(),
      mailboxAddress: () => config.scheduler.mailboxAddr ?? selfAddress(),
      apiKey,
      config: config.scheduler,
      routing: config.router,
    }),
};
