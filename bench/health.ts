/**
 * Failure detection of the health service, measured on this machine:
 * kill a demo instance's process (SIGKILL) and time until the health
 * service reports it `down`; start it again and time from its registration
 * until `healthy`. 20 trials, default probing (or ORCHESTRATOR_PROBE_*),
 * compared with the configured bound (interval × failure threshold) and
 * with Kubernetes' default probe detection (periodSeconds 10 × failureThreshold 3).
 *
 *   npm run bench -- health            # PGlite
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- health
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { loadConfig } from "@orchestrator/config";
import { allFiles, HealthService, HealthState } from "@orchestrator/contracts";
import { createTestDatabase, migrateToLatest } from "@orchestrator/db";
import { createHealthModule } from "@orchestrator/health";
import { createServiceClient, startServer } from "@orchestrator/rpc";
import { pino } from "pino";

const TRIALS = Number(process.env.TRIALS ?? 20);
const BIN = join(import.meta.dirname, "../apps/cli/bin/orchestrator.js");
const config = loadConfig();
const logger = pino({ level: "silent" });

const database = await createTestDatabase();
await migrateToLatest(database.db);
const module = createHealthModule({ database, probe: config.probe, logger });
const server = await startServer({ host: "127.0.0.1", port: 0, apiKeys: [], modules: [module], reflectionFiles: allFiles, logger });
const client = createServiceClient(HealthService, { address: server.address, timeoutMs: 0 });

type Event = { at: number; health: HealthState; registered: boolean };
const events: Event[] = [];
let notify: (() => void) | undefined;
const watch = (async () => {
  for await (const ev of client.watchHealth({ instances: [] })) {
    if (ev.instance?.name !== "bench-1" || ev.snapshot) continue;
    const registered = ev.instance.health === HealthState.UNKNOWN;
    events.push({ at: performance.now(), health: ev.instance.health, registered });
    notify?.();
  }
})().catch(() => undefined);

async function until(pred: (e: Event) => boolean, since: number): Promise<Event> {
  for (;;) {
    const hit = events.find((e) => e.at >= since && pred(e));
    if (hit) return hit;
    await new Promise<void>((r) => (notify = r));
  }
}

function startInstance(): ChildProcess {
  return spawn(process.execPath, [BIN, "demo-instance", "--name", "bench-1", "--control-plane", server.address], {
    env: { ...process.env, LOG_LEVEL: "silent" },
    stdio: "ignore",
  });
}

const down: number[] = [];
const healthy: number[] = [];
let child = startInstance();
await until((e) => e.health === HealthState.HEALTHY, 0);
for (let i = 0; i < TRIALS; i++) {
  const killedAt = performance.now();
  child.kill("SIGKILL");
  const d = await until((e) => e.health === HealthState.DOWN, killedAt);
  down.push(d.at - killedAt);
  const restartAt = performance.now();
  child = startInstance();
  const reg = await until((e) => e.registered, restartAt);
  const h = await until((e) => e.health === HealthState.HEALTHY, reg.at);
  healthy.push(h.at - reg.at);
}
child.kill("SIGKILL");

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const bound = config.probe.intervalMs * config.probe.failureThreshold;
const k8s = 10_000 * 3;
const row = (label: string, xs: number[]) =>
  `| ${label} | ${pct(xs, 50).toFixed(0)} | ${pct(xs, 90).toFixed(0)} | ${Math.max(...xs).toFixed(0)} |`;
console.log(`\nhealth detection, ${TRIALS} trials, ${database.kind}, interval ${config.probe.intervalMs} ms × failure threshold ${config.probe.failureThreshold}\n`);
console.log("| measure | p50 ms | p90 ms | max ms |\n| --- | --- | --- | --- |");
console.log(row("kill → down", down));
console.log(row("registered → healthy", healthy));
console.log(`\nkill → down p50 / configured bound (${bound} ms): ${(pct(down, 50) / bound).toFixed(2)}`);
console.log(`kill → down p50 / Kubernetes default detection (${k8s} ms): ${(pct(down, 50) / k8s).toFixed(4)} (${(k8s / pct(down, 50)).toFixed(0)}× faster)`);

await server.close();
await database.close();
await watch;
process.exit(0);
