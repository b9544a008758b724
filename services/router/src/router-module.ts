import type { RouterConfig } from "@orchestrator/config";
import { HealthService, RouterService } from "@orchestrator/contracts";
import type { DatabaseHandle } from "@orchestrator/db";
import { createServiceClient, type ServiceModule } from "@orchestrator/rpc";
import { createRouting, type InstanceView, type OutlierDetector } from "@orchestrator/routing";
import type { Logger } from "pino";
import { createRouterServiceHandler } from "./handlers/router-service.handler.js";
import { LeaseSignals } from "./sessions/lease-signals.js";
import { SessionSender } from "./sessions/session-sender.js";
import { SessionSweeper } from "./sessions/session-sweeper.js";
import { SessionService } from "./sessions/session.service.js";

/** Options of createRouterModule. */
export interface RouterModuleOptions {
  /** A migrated database (sessions live there). */
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** Where the health service answers; read from `start()` on (it may be this very process, on a port known only then). */
  readonly healthAddress: () => string;
  /** Sent to the health service and to workers (which accept the control plane's key). */
  readonly apiKey: string | undefined;
  readonly config: RouterConfig;
  /**
   * How long start() and calls wait for the first instance snapshot before
   * going on with what they have.
   * @default 5000
   */
  readonly syncTimeoutMs?: number;
  /** Run the session expiry sweeper (tests drive it by hand). @default true */
  readonly sweeping?: boolean;
}

/** The router service as a module a server hosts, plus its parts for in-process use and tests. */
export interface RouterModule extends ServiceModule {
  readonly view: InstanceView;
  readonly outliers: OutlierDetector;
  readonly sweeper: SessionSweeper;
}

/**
 * Builds orchestrator.router.v1.RouterService. The instance view follows the
 * health service's WatchHealth stream from start() on; routing is stateless
 * besides that view and per-process load counts, and sessions live in
 * Postgres, so replicas are interchangeable. Background parts (watch,
 * session LISTEN, sweeper) start with the server and stop before it closes.
 */
export function createRouterModule(options: RouterModuleOptions): RouterModule {
  const { database, logger, config } = options;
  const syncTimeoutMs = options.syncTimeoutMs ?? 5000;
  const routing = createRouting({
    healthClient: () => createServiceClient(HealthService, { address: options.healthAddress(), ...(options.apiKey ? { apiKey: options.apiKey } : {}), timeoutMs: 0 }),
    apiKey: options.apiKey,
    settings: config,
    logger,
    syncTimeoutMs,
  });
  const { view, picker, balancer, outliers, deliverer } = routing;
  const signals = new LeaseSignals(database, logger);
  const sweeper = new SessionSweeper(database.db, config.sessionSweepIntervalMs, config.sessionRetentionMs, logger);
  const services = {
    route: routing.route,
    fanout: routing.fanout,
    sessions: new SessionService({ db: database.db, view, picker, balancer, config, syncTimeoutMs }),
    sender: new SessionSender({ db: database.db, view, picker, balancer, outliers, deliverer, signals, config, syncTimeoutMs }),
  };
  return {
    serviceNames: [RouterService.typeName],
    view,
    outliers,
    sweeper,
    register(router) {
      router.service(RouterService, createRouterServiceHandler(services));
    },
    async start() {
      await signals.start();
      routing.start();
      if (options.sweeping ?? true) sweeper.start();
      await view.whenReady(syncTimeoutMs);
      if (!view.ready) logger.warn({ healthAddress: options.healthAddress() }, "no instance snapshot from the health service yet; serving with an empty view");
    },
    async stop() {
      await sweeper.stop();
      await routing.stop();
      await signals.stop();
    },
  };
}
