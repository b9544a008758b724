import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startControlPlane, type ControlPlane, type ServiceName } from "@orchestrator/cli";
import { loadConfig } from "@orchestrator/config";
import { createTestDatabase, type DatabaseHandle } from "@orchestrator/db";

/** A control plane for cross-service tests, composed exactly as `orchestrator serve` composes it. */
export interface Stack {
  readonly plane: ControlPlane;
  /** host:port of the one port hosting the services. */
  readonly address: string;
  /** The database URL, on real Postgres (start a second replica with it). */
  readonly databaseUrl: string | undefined;
  close(): Promise<void>;
}

export interface StackOptions {
  readonly services: readonly ServiceName[];
  /** Join an existing database (a second replica); a fresh one otherwise. */
  readonly databaseUrl?: string;
  /** Extra environment, as the process would read it (ORCHESTRATOR_*). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Starts services on port 0 over a fresh test database: real Postgres when
 * DATABASE_URL is set (a database of its own, dropped on close), else PGlite
 * in a temporary directory. Probing is tightened so tests stay quick.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  let owned: (DatabaseHandle & { url?: string }) | undefined;
  let dataDir: string | undefined;
  let databaseUrl = options.databaseUrl;
  if (!databaseUrl && process.env.DATABASE_URL) {
    owned = await createTestDatabase();
    databaseUrl = owned.url;
  }
  if (!databaseUrl) dataDir = mkdtempSync(join(tmpdir(), "orch-stack-"));
  const config = loadConfig({
    ORCHESTRATOR_PORT: "0",
    ORCHESTRATOR_PROBE_INTERVAL_MS: "100",
    ORCHESTRATOR_PROBE_TIMEOUT_MS: "200",
    ORCHESTRATOR_HEARTBEAT_TIMEOUT_MS: "1000",
    ORCHESTRATOR_DRAIN_TIMEOUT_MS: "1000",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { ORCHESTRATOR_DATA_DIR: dataDir! }),
    ...options.env,
  });
  const plane = await startControlPlane(config, options.services);
  return {
    plane,
    address: plane.server.address,
    databaseUrl,
    async close() {
      await plane.close();
      await owned?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
