import { defaultMailboxConfig, type MailboxConfig, type RetentionConfig } from "@orchestrator/config";
import { allFiles, MailboxService } from "@orchestrator/contracts";
import { createTestDatabase, openDatabase, type DatabaseHandle } from "@orchestrator/db";
import { createServiceClient, startServer, type RunningServer } from "@orchestrator/rpc";
import { testLogger } from "@orchestrator/testing";
import type { Client } from "@connectrpc/connect";
import { createMailboxModule, type MailboxModule } from "./mailbox-module.js";
import { createFakeHealthModule, type FakeHealthModule, type FakeInstance } from "./testing/fake-health-module.js";

/** A mailbox on a real server (port 0) over a test database, with a fake health service on the same port. For tests only. */
export interface MailboxServerFixture {
  readonly server: RunningServer;
  readonly module: MailboxModule;
  readonly health: FakeHealthModule;
  readonly database: DatabaseHandle & { url?: string };
  readonly address: string;
  /** A client of this server (gRPC unless another protocol is asked for). */
  client(options?: { protocol?: "grpc" | "connect" | "grpc-web"; timeoutMs?: number }): Client<typeof MailboxService>;
  close(): Promise<void>;
}

/** Options of startMailboxServer. */
export interface MailboxServerFixtureOptions {
  /** Join this database (a second replica); a fresh test database otherwise. */
  readonly databaseUrl?: string;
  /** Instances the fake health service knows (group members). */
  readonly instances?: readonly FakeInstance[];
  readonly config?: Partial<Omit<MailboxConfig, "retention">> & { retention?: Partial<RetentionConfig> };
  /** Pool size when joining `databaseUrl`. @default 4 */
  readonly poolMax?: number;
  /** application_name of the replica's sessions when joining `databaseUrl`. */
  readonly applicationName?: string;
}

/** Starts a mailbox replica; retention is off unless `config.retention` turns it on. */
export async function startMailboxServer(options: MailboxServerFixtureOptions = {}): Promise<MailboxServerFixture> {
  const database = options.databaseUrl
    ? await openDatabase({ url: options.databaseUrl, poolMax: options.poolMax ?? 4, applicationName: options.applicationName ?? "orchestrator-test" })
    : await createTestDatabase();
  const logger = testLogger();
  const health = createFakeHealthModule(options.instances);
  let bound = "";
  const config = defaultMailboxConfig({ ...options.config, retention: { maxAgeMs: 0, maxPerHandle: 0, ...options.config?.retention } });
  const module = createMailboxModule({ database, logger, healthAddress: () => bound, apiKey: undefined, config });
  const server = await startServer({
    host: "127.0.0.1",
    port: 0,
    apiKeys: [],
    modules: [health, module],
    reflectionFiles: allFiles,
    logger,
    drainTimeoutMs: 1000,
    onListening: (address) => (bound = address),
  });
  return {
    server,
    module,
    health,
    database,
    address: server.address,
    client: (o = {}) => createServiceClient(MailboxService, { address: server.address, timeoutMs: o.timeoutMs ?? 10_000, protocol: o.protocol ?? "grpc" }),
    async close() {
      await server.close();
      await database.close();
    },
  };
}
