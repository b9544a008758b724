import type { ConnectRouter } from "@connectrpc/connect";

/**
 * A unit a server hosts: the health service, the router, a worker...
 *
 * `startServer` registers every module on one router, marks its
 * `serviceNames` SERVING in grpc.health.v1 once all modules have started, and
 * on shutdown turns readiness off before it calls `stop()`, so load balancers
 * stop sending work before background loops end.
 */
export interface ServiceModule {
  /** Fully-qualified gRPC service names served (for grpc.health.v1 statuses). */
  readonly serviceNames: readonly string[];
  /** Registers handlers on the router. */
  register(router: ConnectRouter): void;
  /** Starts background work after the port listens. */
  start?(): Promise<void>;
  /** Stops background work; called on shutdown after readiness is off, before the server closes. */
  stop?(): Promise<void>;
}
