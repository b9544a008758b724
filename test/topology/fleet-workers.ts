import { HealthService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { testLogger, waitFor } from "@orchestrator/testing";
import { runDemoInstance, type RunningWorker } from "@orchestrator/worker";
import type { Fleet } from "./start-fleet.js";

const started = new WeakMap<Fleet, Map<string, Promise<Map<string, RunningWorker>>>>();

/**
 * Demo workers of one pool, in this process, registered with the fleet's
 * health Service (heartbeats through it, as instances in the cluster do),
 * and healthy. Started once per fleet and pool, closed with the fleet.
 * Demo failures (`demo.fail`) and counters (`demoStats()`) are shared by
 * every worker of this process.
 */
export function fleetWorkers(fleet: Fleet, pool: string, names: readonly string[]): Promise<Map<string, RunningWorker>> {
  let pools = started.get(fleet);
  if (!pools) {
    pools = new Map();
    started.set(fleet, pools);
  }
  let workers = pools.get(pool);
  if (!workers) {
    workers = start(fleet, pool, names);
    pools.set(pool, workers);
  }
  return workers;
}

async function start(fleet: Fleet, pool: string, names: readonly string[]): Promise<Map<string, RunningWorker>> {
  const workers = new Map<string, RunningWorker>();
  fleet.onClose(() => Promise.all([...workers.values()].map((w) => w.close())).then(() => undefined));
  for (const name of names) {
    const worker = await runDemoInstance({ name, port: 0, pool, controlPlane: fleet.address("health"), apiKey: fleet.apiKey, heartbeatIntervalMs: 500, logger: testLogger() });
    workers.set(name, worker);
  }
  const health = createServiceClient(HealthService, { address: fleet.address("health"), apiKey: fleet.apiKey, timeoutMs: 5000 });
  await waitFor(`pool ${pool} healthy`, async () => {
    const { statuses } = await health.checkHealth({ instances: [`@pool:${pool}`] });
    return names.every((n) => statuses[n] === "healthy");
  });
  return workers;
}
