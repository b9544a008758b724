import { allFiles } from "@orchestrator/contracts";
import type { RunningServer } from "../running-server.js";
import type { ServerOptions } from "../server-options.js";
import { startServer } from "../start-server.js";
import { createTestLogger } from "./test-logger.js";
import { createTestRegistryModule, createTestWorkerModule, type LifecycleLog } from "./test-modules.js";

/** A started test server with what it logged and its modules' lifecycle log. */
export interface TestServer {
  server: RunningServer;
  lines: string[];
  log: LifecycleLog;
}

/**
 * Starts a real server on 127.0.0.1:0 with the test WorkerService and
 * HealthService modules and every contract file for reflection. The drain
 * timeout is 60 s, longer than a test may run, so a close() that would only
 * finish by cutting connections fails the test instead of passing slowly.
 */
export async function startTestServer(overrides: Partial<ServerOptions> = {}): Promise<TestServer> {
  const { logger, lines } = createTestLogger();
  const log: LifecycleLog = [];
  const server = await startServer({
    host: "127.0.0.1",
    port: 0,
    apiKeys: [],
    modules: [createTestWorkerModule(), createTestRegistryModule(log)],
    reflectionFiles: allFiles,
    logger,
    drainTimeoutMs: 60_000,
    ...overrides,
  });
  return { server, lines, log };
}
