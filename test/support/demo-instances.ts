import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { HealthService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";

const BIN = join(import.meta.dirname, "../../apps/cli/bin/orchestrator.js");

/** Demo instances running as child processes (`orchestrator demo-instance`), so tests can kill them for real. */
export interface DemoInstances {
  /** The process of each instance, by name. */
  readonly processes: ReadonlyMap<string, ChildProcess>;
  /** Starts one more (or restarts one), registered with the control plane. */
  start(name: string, pool?: string): ChildProcess;
  /** SIGKILLs an instance's process and waits until it has exited. */
  kill(name: string): Promise<void>;
  /** Waits until the health service reports every named instance healthy. */
  waitHealthy(names: readonly string[], timeoutMs?: number): Promise<void>;
  /** Kills every process started. */
  close(): Promise<void>;
}

/**
 * Starts demo instances as separate processes registered with the health
 * service at `controlPlane`, in `pool` (crashing on `{"demo":{"crash":true}}`
 * allowed, as demo instances do), with `apiKey` when the control plane wants one
 * and `args` added to each command line (e.g. `--scheduler ADDR`).
 */
export function demoInstances(controlPlane: string, names: readonly string[], pool = "demo", apiKey = "", args: readonly string[] = []): DemoInstances {
  const processes = new Map<string, ChildProcess>();
  const start = (name: string, p = pool) => {
    const child = spawn(process.execPath, [BIN, "demo-instance", "--name", name, "--pool", p, "--control-plane", controlPlane, ...args], {
      env: { ...process.env, LOG_LEVEL: "silent", ORCHESTRATOR_API_KEY: apiKey },
      stdio: "ignore",
    });
    processes.set(name, child);
    return child;
  };
  for (const name of names) start(name);
  const health = createServiceClient(HealthService, { address: controlPlane, timeoutMs: 5000, ...(apiKey ? { apiKey } : {}) });
  return {
    processes,
    start,
    async kill(name) {
      const child = processes.get(name);
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
    async waitHealthy(wanted, timeoutMs = 150_000) {
      await waitFor(
        `${wanted.join(", ")} healthy`,
        async () => {
          const { statuses } = await health.checkHealth({ instances: [...wanted] });
          return wanted.every((n) => statuses[n] === "healthy");
        },
        { timeoutMs, intervalMs: 100 },
      );
    },
    async close() {
      await Promise.all([...processes.keys()].map((name) => this.kill(name)));
    },
  };
}

/**
 * Probe settings for stacks whose tests kill instances: probing stays quick,
 * but with a ping timeout that a loaded 2-core machine meets. (Tighter
 * keepalive pings trip connect-node's keepalive race on destroyed sessions,
 * connectrpc/connect-es#1795, in the health prober.)
 */
export const KILL_TEST_PROBE_ENV: Readonly<Record<string, string>> = {
  ORCHESTRATOR_PROBE_INTERVAL_MS: "250",
  ORCHESTRATOR_PROBE_TIMEOUT_MS: "1500",
};
