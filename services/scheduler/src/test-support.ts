import type { Client } from "@connectrpc/connect";
import { defaultSchedulerConfig, type SchedulerConfig } from "@orchestrator/config";
import { allFiles, SchedulerService } from "@orchestrator/contracts";
import { createTestDatabase, openDatabase, type DatabaseHandle } from "@orchestrator/db";
import { createServiceClient, startServer, type RunningServer } from "@orchestrator/rpc";
import { testLogger } from "@orchestrator/testing";
import { createSchedulerModule, type SchedulerModule } from "./scheduler-module.js";
import { createFakeHealthModule, type FakeHealthModule, type FakeInstance } from "./testing/fake-health-module.js";
import { createFakeMailboxModule, type FakeMailboxModule } from "./testing/fake-mailbox-module.js";
import { createFakeRouterModule, type FakeRouterModule, type RouteBehaviour } from "./testing/fake-router-module.js";

/** Fake health, router and mailbox services on one server: what schedulers under test call. For tests only. */
export interface FakeDeps {
  readonly server: RunningServer;
  readonly address: string;
  readonly health: FakeHealthModule;
  readonly router: FakeRouterModule;
  readonly mailbox: FakeMailboxModule;
  close(): Promise<void>;
}

/** Starts the fakes on their own server (port 0). */
export async function startFakeDeps(options: { instances?: readonly FakeInstance[]; route?: RouteBehaviour } = {}): Promise<FakeDeps> {
  const health = createFakeHealthModule(options.instances ?? []);
  const router = createFakeRouterModule(options.route);
  const mailbox = createFakeMailboxModule();
  const server = await startServer({
    host: "127.0.0.1",
    port: 0,
    apiKeys: [],
    modules: [health, router, mailbox],
    reflectionFiles: allFiles,
    logger: testLogger(),
    drainTimeoutMs: 200,
  });
  health.address = server.address;
  return { server, address: server.address, health, router, mailbox, close: () => server.close() };
}

/** A scheduler replica on a real server (port 0) over a test database, calling `deps`. For tests only. */
export interface SchedulerFixture {
  readonly server: RunningServer;
  readonly module: SchedulerModule;
  readonly database: DatabaseHandle & { url?: string };
  readonly address: string;
  client(timeoutMs?: number): Client<typeof SchedulerService>;
  close(): Promise<void>;
}

/** Options of startScheduler. */
export interface SchedulerFixtureOptions {
  readonly deps: FakeDeps;
  /** Join this database (another replica); a fresh test database otherwise. */
  readonly databaseUrl?: string;
  readonly config?: Partial<SchedulerConfig>;
  readonly replicaId?: string;
}

/** Test defaults: a short lease, so takeovers and sweeps happen within a test's patience. */
export const TEST_SCHEDULER_CONFIG: Partial<SchedulerConfig> = { leaseMs: 3000, dispatchTimeoutMs: 10_000 };

/** Starts a scheduler replica. */
export async function startScheduler(options: SchedulerFixtureOptions): Promise<SchedulerFixture> {
  const database = options.databaseUrl
    ? await openDatabase({ url: options.databaseUrl, poolMax: 6, applicationName: "orchestrator-test" })
    : await createTestDatabase();
  const logger = testLogger();
  const module = createSchedulerModule({
    database,
    logger,
    healthAddress: () => options.deps.address,
    routerAddress: () => options.deps.address,
    mailboxAddress: () => options.deps.address,
    apiKey: undefined,
    config: defaultSchedulerConfig({ ...TEST_SCHEDULER_CONFIG, ...options.config }),
    drainMs: 200,
    ...(options.replicaId ? { replicaId: options.replicaId } : {}),
  });
  const server = await startServer({
    host: "127.0.0.1",
    port: 0,
    apiKeys: [],
    modules: [module],
    reflectionFiles: allFiles,
    logger,
    drainTimeoutMs: 500,
  });
  let closed: Promise<void> | undefined;
  return {
    server,
    module,
    database,
    address: server.address,
    client: (timeoutMs = 10_000) => createServiceClient(SchedulerService, { address: server.address, timeoutMs }),
    close: () =>
      (closed ??= (async () => {
        await server.close();
        await database.close();
      })()),
  };
}
