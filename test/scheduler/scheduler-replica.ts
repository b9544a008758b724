import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { grpcHealth, SchedulerService } from "@orchestrator/contracts";
import { waitFor } from "@orchestrator/testing";
import { freePort } from "../support/free-port.js";

const BIN = join(import.meta.dirname, "../../apps/cli/bin/orchestrator.js");

/** A scheduler replica running as its own process (`orchestrator serve scheduler`), so a test can SIGKILL it. */
export interface SchedulerReplica {
  readonly address: string;
  readonly process: ChildProcess;
  /** SIGKILLs the process and waits until it has exited. */
  kill(): Promise<void>;
  /** SIGTERM (clean shutdown) and wait. */
  stop(): Promise<void>;
}

/**
 * Starts `orchestrator serve scheduler` on a free port against `databaseUrl`,
 * calling the health, router and mailbox services at `controlPlane`, and
 * waits until it serves SchedulerService.
 */
export async function startSchedulerReplica(databaseUrl: string, controlPlane: string, env: Record<string, string> = {}): Promise<SchedulerReplica> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const child = spawn(process.execPath, [BIN, "serve", "scheduler"], {
    env: {
      ...process.env,
      ORCHESTRATOR_API_KEY: "",
      DATABASE_URL: databaseUrl,
      ORCHESTRATOR_PORT: String(port),
      ORCHESTRATOR_ADDR: address,
      ORCHESTRATOR_HEALTH_ADDR: controlPlane,
      ORCHESTRATOR_ROUTER_ADDR: controlPlane,
      ORCHESTRATOR_MAILBOX_ADDR: controlPlane,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
      ...env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const health = createClient(grpcHealth.Health, createGrpcTransport({ baseUrl: `http://${address}` }));
  await waitFor(
    `scheduler replica on ${address} serving`,
    async () => {
      if (child.exitCode !== null) throw new Error(`scheduler replica exited with ${child.exitCode}`);
      const res = await health.check({ service: SchedulerService.typeName }, { timeoutMs: 1000 });
      return res.status === grpcHealth.HealthCheckResponse_ServingStatus.SERVING;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { address, process: child, kill: () => end("SIGKILL"), stop: () => end("SIGTERM") };
}
