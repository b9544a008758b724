import type { Client } from "@connectrpc/connect";
import type { HealthService } from "@orchestrator/contracts";
import type { Logger } from "pino";
import { Balancer } from "./choice/balancer.js";
import { OutlierDetector } from "./choice/outlier-detector.js";
import { TargetPicker } from "./choice/target-picker.js";
import { Deliverer } from "./delivery/deliverer.js";
import { WorkerClients } from "./delivery/worker-clients.js";
import { FanoutService } from "./fanout/fanout.service.js";
import { HealthFeed } from "./instances/health-feed.js";
import { InstanceView } from "./instances/instance-view.js";
import { RouteService } from "./route/route.service.js";
import type { RoutingSettings } from "./routing-settings.js";

/** Options of createRouting. */
export interface RoutingOptions {
  /** A HealthService client without a default deadline (WatchHealth is long-lived); asked for at every (re)connect. */
  readonly healthClient: () => Client<typeof HealthService>;
  /** Sent to instances with every Execute call (workers accept the control plane's key); undefined for none. */
  readonly apiKey: string | undefined;
  readonly settings: RoutingSettings;
  readonly logger: Logger;
  /** How long a call waits for the first instance snapshot before going on with what there is. */
  readonly syncTimeoutMs: number;
}

/** Every part of routing, wired once; the router service and the proxyless client are each one of these. */
export interface Routing {
  readonly view: InstanceView;
  readonly outliers: OutlierDetector;
  readonly balancer: Balancer;
  readonly picker: TargetPicker;
  readonly deliverer: Deliverer;
  readonly route: RouteService;
  readonly fanout: FanoutService;
  /** Starts following the health service (WatchHealth); idempotent. */
  start(): void;
  /** Stops following it; calls in flight finish with the view as it is. */
  stop(): Promise<void>;
}

/**
 * Builds routing over one instance view: the view fed by the health
 * service's WatchHealth stream (HealthFeed), the balancer and outlier
 * detector whose per-process state every call shares, the target picker,
 * the Deliverer (retries with backoff), and Route and Fanout on top. Two
 * reactions to the view live here so that every user of routing has them:
 * an instance the health service reports healthy again (restarted,
 * re-registered) is trusted again at once, and the pooled connection of an
 * address no instance uses any more is closed.
 */
export function createRouting(options: RoutingOptions): Routing {
  const { settings, logger, syncTimeoutMs } = options;
  const view = new InstanceView({ onListenerError: (err) => logger.error({ err }, "instance view listener failed") });
  const outliers = new OutlierDetector(settings.outlier);
  const balancer = new Balancer();
  const picker = new TargetPicker(view, balancer, outliers);
  const clients = new WorkerClients(options.apiKey);
  const deliverer = new Deliverer(clients, balancer, outliers, { initialMs: settings.backoffInitialMs, maxMs: settings.backoffMaxMs });
  const feed = new HealthFeed({ view, logger, client: options.healthClient });
  view.onChange((before, after) => {
    if (after && after.health === "healthy" && (before?.health !== "healthy" || before.address !== after.address)) outliers.clearUnreachable(after.name);
    if (before && before.address !== after?.address) clients.forget(before.address);
  });
  return {
    view,
    outliers,
    balancer,
    picker,
    deliverer,
    route: new RouteService({ view, picker, deliverer, config: settings, syncTimeoutMs }),
    fanout: new FanoutService({ view, deliverer, config: settings, syncTimeoutMs }),
    start: () => feed.start(),
    stop: () => feed.stop(),
  };
}
