import type { ProbeConfig } from "@orchestrator/config";
import { allFiles } from "@orchestrator/contracts";
import { createTestDatabase, openDatabase, type DatabaseHandle } from "@orchestrator/db";
import { startServer, type RunningServer } from "@orchestrator/rpc";
import { fastProbe, testLogger } from "@orchestrator/testing";
import { createHealthModule, type HealthModule, type HealthModuleOptions } from "./health-module.js";

/** A health service on a real server (port 0) over an isolated test database. For tests only. */
export interface HealthServerFixture {
  readonly server: RunningServer;
  readonly module: HealthModule;
  readonly database: DatabaseHandle & { url?: string };
  readonly address: string;
  close(): Promise<void>;
}

export interface HealthServerFixtureOptions {
  /** Reuse a database (a second replica); a fresh test database otherwise. */
  readonly databaseUrl?: string;
  readonly apiKeys?: readonly string[];
  readonly probe?: Partial<ProbeConfig>;
  readonly probing?: boolean;
  /** Pool templates, their provisioner and the pool manager's timing. */
  readonly pools?: HealthModuleOptions["pools"];
  readonly provisioner?: HealthModuleOptions["provisioner"];
  readonly poolManager?: HealthModuleOptions["poolManager"];
}

export async function startHealthServer(options: HealthServerFixtureOptions = {}): Promise<HealthServerFixture> {
  const owned = !options.databaseUrl;
  const database = options.databaseUrl ? await openDatabase({ url: options.databaseUrl, poolMax: 20 }) : await createTestDatabase();
  const logger = testLogger();
  const module = createHealthModule({
    database,
    probe: fastProbe(options.probe),
    logger,
    probing: options.probing ?? true,
    ...(options.pools ? { pools: options.pools } : {}),
    ...(options.provisioner ? { provisioner: options.provisioner } : {}),
    ...(options.poolManager ? { poolManager: options.poolManager } : {}),
  });
  const server = await startServer({
    host: "127.0.0.1",
    port: 0,
    apiKeys: options.apiKeys ?? [],
    modules: [module],
    reflectionFiles: allFiles,
    logger,
    drainTimeoutMs: 1000,
  });
  return {
    server,
    module,
    database,
    address: server.address,
    async close() {
      await server.close();
      if (owned || options.databaseUrl) await database.close();
    },
  };
}
