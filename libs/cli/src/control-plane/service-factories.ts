import { createHealthModule, loadInstancesFile } from "@orchestrator/health";
import { createMailboxModule } from "@orchestrator/mailbox";
import { createRouterModule } from "@orchestrator/router";
import { createSchedulerModule } from "@orchestrator/scheduler";
import type { ModuleFactory } from "./module-context.js";

/** The services one process can host, in the order they start. */
export const SERVICE_NAMES = ["health", "router", "mailbox", "scheduler"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * How each service is composed. One line per service: a service that is not
 * listed here is not built yet, and `serve`/`up` say so.
 */
export const serviceFactories: Partial<Record<ServiceName, ModuleFactory>> = {
  health: async ({ config, database, logger }) =>
    createHealthModule({
      database,
      probe: config.probe,
      logger,
      instances: config.instancesFile ? await loadInstancesFile(config.instancesFile) : [],
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
    }),
};
