import { loadConfig, type RouterConfig } from "@orchestrator/config";
import { allFiles, RouterService } from "@orchestrator/contracts";
import { createTestDatabase, openDatabase, type DatabaseHandle } from "@orchestrator/db";
import { createServiceClient, startServer, type RunningServer, type ServiceModule } from "@orchestrator/rpc";
import { FakeHealthRegistry, testLogger } from "@orchestrator/testing";
import { createDemoHandler, startWorker, type RunningWorker, type WorkHandler } from "@orchestrator/worker";
import type { Client } from "@connectrpc/connect";
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
  return {
    server,
    module,
    registry,
    database,
    address: server.address,
    client: (timeoutMs = 15_000) => createServiceClient(RouterService, { address: server.address, timeoutMs, ...(options.apiKey ? { apiKey: options.apiKey } : {}) }),
    async startWorker(name, o = {}) {
      const serverApiKeys = o.serverApiKeys ?? (options.apiKey ? [options.apiKey] : []);
      const worker = await startWorker({ name, handler: o.handler ?? createDemoHandler({ instance: name }), logger, serverApiKeys });
      workers.push(worker);
      registry.set({ name, address: worker.address, pool: o.pool ?? "default" });
      return worker;
    },
    async close() {
      await server.close();
      for (const w of workers) await w.close();
      if (owned || options.databaseUrl) await database.close();
    },
  };
}
