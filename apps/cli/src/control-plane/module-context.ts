import type { OrchestratorConfig } from "@orchestrator/config";
import type { DatabaseHandle } from "@orchestrator/db";
import type { ServiceModule } from "@orchestrator/rpc";
import type { Logger } from "pino";

/** What a service module is built from when the control plane composes it. */
export interface ModuleContext {
  readonly config: OrchestratorConfig;
  /** A migrated database. */
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /**
   * Where the health service answers. When this process hosts it and no
   * ORCHESTRATOR_HEALTH_ADDR is set, this is the process's own bound address
   * (known only once listening: call it from `start()`, not at build time).
   */
  readonly healthAddress: () => string;
  /** Where this process itself answers, once listening. */
  readonly selfAddress: () => string;
  /** Key this process sends when it calls other services (the first configured). */
  readonly apiKey: string | undefined;
}

/** Builds one service's module. */
export type ModuleFactory = (context: ModuleContext) => Promise<ServiceModule> | ServiceModule;
