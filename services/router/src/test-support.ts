import { loadConfig, type RouterConfig } from "@orchestrator/config";
import { allFiles, RouterService } from "@orchestrator/contracts";
import { createTestDatabase, openDatabase, type DatabaseHandle } from "@orchestrator/db";
import { createServiceClient, startServer, type RunningServer, type ServiceModule } from "@orchestrator/rpc";
import { FakeHealthRegistry, testLogger } from "@orchestrator/testing";
import { createDemoHandler, startWorker, type RunningWorker, type WorkHandler } from "@orchestrator/worker";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import type { FanoutRequestSchema, FanoutResponse, FanoutStreamRequestSchema, FanoutStreamResponse, RouteRequestSchema, RouteResponse } from "@orchestrator/contracts";
import { createRoutingClient, type InstanceView, type OutlierDetector, type RoutingClient } from "@orchestrator/routing";
import { createRouterModule, type RouterModule } from "./router-module.js";

/** The router configuration with test-friendly overrides (quick backoff). For tests only. */
export function testRouterConfig(overrides: Partial<RouterConfig> = {}): RouterConfig {
  const { router } = loadConfig({ ORCHESTRATOR_ROUTE_BACKOFF_INITIAL_MS: "5", ORCHESTRATOR_ROUTE_BACKOFF_MAX_MS: "50" });
  return { ...router, ...overrides };
}

/** A router (and a fake health service) on one real server, port 0. For tests only. */
export interface RouterFixture {
  readonly server: RunningServer;
  readonly module: RouterModule;
  readonly registry: FakeHealthRegistry;
  readonly database: DatabaseHandle & { url?: string };
  readonly address: string;
  client(timeoutMs?: number): Client<typeof RouterService>;
  /** A proxyless client (libs/routing) following the fixture's health registry, with the router's settings; closed with the fixture. */
  proxyless(): Promise<RoutingClient>;
  /** Starts a worker (accepting the fixture's key, or `serverApiKeys`) and registers it healthy in the fake registry. */
  startWorker(name: string, options?: { pool?: string; handler?: WorkHandler; serverApiKeys?: readonly string[] }): Promise<RunningWorker>;
  close(): Promise<void>;
}

/** Options of startRouter. */
export interface RouterFixtureOptions {
  /** Join this database (a second replica); a fresh test database otherwise. */
  readonly databaseUrl?: string;
  /** Share this registry (and its health service) instead of hosting a new one. */
  readonly registry?: { registry: FakeHealthRegistry; address: string };
  readonly config?: Partial<RouterConfig>;
  readonly sweeping?: boolean;
  /** The control plane's key: the server requires it, the router sends it to the health feed and to workers. */
  readonly apiKey?: string;
}

/**
 * Starts the router module on a real server over an isolated test
 * database, next to a FakeHealthRegistry (hosted on the same port unless
 * shared), with test-friendly retry timing. Workers started through the
 * fixture are closed with it. For tests only.
 */
export async function startRouter(options: RouterFixtureOptions = {}): Promise<RouterFixture> {
  const owned = !options.databaseUrl;
  const database = options.databaseUrl ? await openDatabase({ url: options.databaseUrl, poolMax: 10 }) : await createTestDatabase();
  const logger = testLogger();
  const registry = options.registry?.registry ?? new FakeHealthRegistry();
  let self = "";
  const module = createRouterModule({
    database,
    logger,
    healthAddress: () => options.registry?.address ?? self,
    apiKey: options.apiKey,
    config: testRouterConfig(options.config),
    syncTimeoutMs: 2000,
    sweeping: options.sweeping ?? false,
  });
  const modules: ServiceModule[] = options.registry ? [module] : [registry.module(), module];
  const server = await startServer({
    host: "127.0.0.1",
    port: 0,
    apiKeys: options.apiKey ? [options.apiKey] : [],
    modules,
    reflectionFiles: allFiles,
    logger,
    drainTimeoutMs: 1000,
    onListening: (address) => (self = address),
  });
  const workers: RunningWorker[] = [];
  const proxyless: RoutingClient[] = [];
  return {
    server,
    module,
    registry,
    database,
    address: server.address,
    client: (timeoutMs = 15_000) => createServiceClient(RouterService, { address: server.address, timeoutMs, ...(options.apiKey ? { apiKey: options.apiKey } : {}) }),
    async proxyless() {
      const client = createRoutingClient({
        healthAddress: options.registry?.address ?? server.address,
        routerAddress: server.address,
        ...(options.apiKey ? { apiKey: options.apiKey } : {}),
        settings: testRouterConfig(options.config),
        logger,
        syncTimeoutMs: 2000,
      });
      proxyless.push(client);
      await client.ready();
      return client;
    },
    async startWorker(name, o = {}) {
      const serverApiKeys = o.serverApiKeys ?? (options.apiKey ? [options.apiKey] : []);
      const worker = await startWorker({ name, handler: o.handler ?? createDemoHandler({ instance: name }), logger, serverApiKeys });
      workers.push(worker);
      registry.set({ name, address: worker.address, pool: o.pool ?? "default" });
      return worker;
    },
    async close() {
      for (const client of proxyless) await client.close();
      await server.close();
      for (const w of workers) await w.close();
      if (owned || options.databaseUrl) await database.close();
    },
  };
}

/** Route and Fanout as a test calls them, whichever way they go. */
export interface RouteCalls {
  route(request: MessageInitShape<typeof RouteRequestSchema>): Promise<RouteResponse>;
  fanout(request: MessageInitShape<typeof FanoutRequestSchema>): Promise<FanoutResponse>;
  fanoutStream(request: MessageInitShape<typeof FanoutStreamRequestSchema>): AsyncIterable<FanoutStreamResponse>;
}

/** One way to route: the calls, and the instance view and outlier verdicts that way uses. For tests only. */
export interface RoutePath {
  /** Calls with the caller's deadline `timeoutMs` (15 s unless given). */
  client(timeoutMs?: number): RouteCalls;
  readonly view: InstanceView;
  readonly outliers: OutlierDetector;
}

/** The two ways to route that the behaviour tests run against. */
export const ROUTE_PATHS = ["router RPC", "proxyless client"] as const;
export type RoutePathName = (typeof ROUTE_PATHS)[number];

/**
 * One way to route over a fixture: RouterService over its real server, or
 * a proxyless client following the same health registry and calling the
 * workers directly (with its own balancer and outlier detector). For tests
 * only.
 */
export async function routePath(fx: RouterFixture, name: RoutePathName): Promise<RoutePath> {
  if (name === "router RPC") return { client: (timeoutMs) => fx.client(timeoutMs), view: fx.module.view, outliers: fx.module.outliers };
  const direct = await fx.proxyless();
  return {
    client: (timeoutMs = 15_000) => ({
      route: (request) => direct.route(request, { timeoutMs }),
      fanout: (request) => direct.fanout(request, { timeoutMs }),
      fanoutStream: (request) => direct.fanoutStream(request, { timeoutMs }),
    }),
    view: direct.view,
    outliers: direct.outliers,
  };
}
