/**
 * The scheduler's throughput and promotion latency, on real Postgres:
 *
 * (a) 20,000 independent no-op tasks (one run, max concurrency 8): tasks/s
 *     from StartRun (the tasks are created inside the run) to the run's end,
 *     against graphile-worker 0.17.3 draining 20,000 no-op jobs at
 *     concurrency 8 (from addJobs to the last job done).
 * (b) a 10,000-task layered DAG (100 layers × 100, each task depending on
 *     two of the layer before): wall time, and promotion latency: the commit
 *     of a task's last dependency's completion → the task's Execute reaching
 *     its worker (p50/p99), against the INSERT+NOTIFY floor (COMMIT sent →
 *     LISTEN callback in another connection) measured on the same
 *     database just before the DAG runs (and again before the chain of
 *     (b')), so floor and workload meet the same machine. Both clocks start
 *     when COMMIT is sent.
 *
 * (c) the same 20,000 tasks through unary Execute, to workers that hold no
 *     Work stream, so the stream's gain shows.
 *
 * The scheduler runs in this process (so its observer can timestamp
 * commits), the health, router and mailbox services in an `orchestrator
 * serve` child process, and two sets of 4 no-op workers in two more,
 * registered like any instance (heartbeats, activity reports): pool
 * "bench" holds Work streams to the scheduler (tasks are pushed down
 * them), pool "unary" does not (the scheduler calls Execute on it
 * directly, one hop).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- scheduler
 *   (N=2000 LAYERS=20 CHAIN=50 for a quick run; PROFILE_A=1 runs (a) only and
 *   PROFILE_B=1 the DAG of (b) only, with its floor and promotion latency, for --cpu-prof of this process
 *   (PRELOAD=50000: after that many tasks, as the DAG runs in the whole bench);
 *   WORKER_PROF_DIR=<dir> profiles the workers)
 *
 * Each throughput row also says the CPU each process spent per task
 * (bench/support/process-cpu.ts: the scheduler and graphile-worker in
 * this process, the services, the workers, every Postgres backend).
 *
 * Two more lines put (a) and (b) in context: (a') both at concurrency 64,
 * where one delivery round trip per task no longer bounds the rate; (b')
 * a chain at concurrency 1, promotion latency with no queue behind it
 * (in (b) a hundred tasks are in flight, so it includes queueing).
 */
import { fork, spawn } from "node:child_process";
import os from "node:os";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { loadConfig } from "@orchestrator/config";
import { allFiles, grpcHealth, HealthService, SchedulerService } from "@orchestrator/contracts";
import { createTestDatabase, openDatabase } from "@orchestrator/db";
import { createServiceClient, startServer } from "@orchestrator/rpc";
import { createSchedulerModule } from "@orchestrator/scheduler";
import { Logger as GraphileLogger, makeWorkerUtils, run as runGraphile } from "graphile-worker";
import pg from "pg";
import { pino } from "pino";
import { freePort } from "@orchestrator/testing";
import { measureCpu, pidsOf } from "./support/process-cpu.js";

const loadBefore = os.loadavg()[0]!.toFixed(1);
const N = Number(process.env.N ?? 20_000);
const LAYERS = Number(process.env.LAYERS ?? 100);
const WIDTH = Number(process.env.WIDTH ?? 100);
const CONCURRENCY = 8;
const DAG_CONCURRENCY = Number(process.env.DAG_CONCURRENCY ?? WIDTH);
const CHAIN = Number(process.env.CHAIN ?? 300);
const WIDE = Number(process.env.WIDE ?? 64);
const WORKERS = 4;
if (!process.env.DATABASE_URL) throw new Error("bench/scheduler needs real Postgres: set DATABASE_URL (an admin URL; a database of its own is created)");

const BIN = join(import.meta.dirname, "../apps/cli/bin/orchestrator.js");
const now = () => performance.timeOrigin + performance.now();
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const logger = pino({ level: "silent" });
const testDatabase = await createTestDatabase();
const url = testDatabase.url!;

// The health, router and mailbox services: one `orchestrator serve` process, as they run in production.
const port = await freePort();
const services = `127.0.0.1:${port}`;
const serve = spawn(process.execPath, [BIN, "serve", "health", "router", "mailbox"], {
  env: { ...process.env, DATABASE_URL: url, ORCHESTRATOR_PORT: String(port), ORCHESTRATOR_API_KEY: "", LOG_LEVEL: "silent" },
  stdio: "ignore",
});
const grpcHealthClient = createClient(grpcHealth.Health, createGrpcTransport({ baseUrl: `http://${services}` }));
for (;;) {
  const serving = await grpcHealthClient.check({ service: "" }, { timeoutMs: 1000 }).then((r) => r.status === grpcHealth.HealthCheckResponse_ServingStatus.SERVING, () => false);
  if (serving) break;
  await new Promise((r) => setTimeout(r, 100));
}

// The scheduler in this process (its observer timestamps commits), with a service-sized pool.
const database = await openDatabase({ url, poolMax: 10 });
const config = loadConfig({ ...process.env, ORCHESTRATOR_PORT: "0", LOG_LEVEL: "silent" });
const commits = new Map<string, number>();
const at = () => services;
const scheduler = createSchedulerModule({
  database,
  logger,
  healthAddress: at,
  routerAddress: at,
  mailboxAddress: at,
  apiKey: undefined,
  config: config.scheduler,
  observer: { tasksCompleted: (ids, committedAt) => ids.forEach((id) => commits.set(id, committedAt)) },
});
const server = await startServer({ host: "127.0.0.1", port: 0, apiKeys: [], modules: [scheduler], reflectionFiles: allFiles, logger });
const client = createServiceClient(SchedulerService, { address: server.address, timeoutMs: 0 });

// No-op workers in their own processes, registered with the health service like any instance (heartbeats, activity
// reports): pool "bench" holds Work streams to the scheduler (the SDK's default), pool "unary" takes unary Execute only.
function startWorkers(pool: string, scheduler?: string) {
  const child = fork(join(import.meta.dirname, "support/scheduler-workers.ts"), [String(WORKERS), "--register", services, pool, ...(scheduler ? [scheduler] : [])], {
    execArgv: ["--import", "tsx", ...(process.env.WORKER_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.WORKER_PROF_DIR}`] : [])],
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  return { child, listening: new Promise<void>((resolve) => child.stdout!.once("data", () => resolve())) };
}
const { child: workers, listening } = startWorkers("bench", server.address);
const { child: unaryWorkers, listening: unaryListening } = startWorkers("unary");
await listening;
await unaryListening;
const arrivals = () =>
  new Promise<Record<string, number>>((resolve) => {
    workers.once("message", (m) => resolve((m as { arrivals: Record<string, number> }).arrivals));
    workers.send("arrivals");
  });
/** Starts a run and waits (WatchRun, no polling) until it ends; answers the wall time in ms. */
async function timeRun(spec: string, maxConcurrency: number, pool = "bench"): Promise<{ ms: number; runId: string }> {
  const t0 = now();
  const { run } = await client.startRun({ spec, maxConcurrency, target: `@pool:${pool}` });
  for await (const ev of client.watchRun({ id: run!.id })) {
    if (ev.event === "finished") {
      if (ev.run!.status !== "done") throw new Error(`run ${run!.id} ended ${ev.run!.status}: ${ev.run!.error}`);
      return { ms: now() - t0, runId: run!.id };
    }
  }
  throw new Error("watch ended early");
}

const independent = (n: number) => JSON.stringify({ tasks: Array.from({ length: n }, (_, i) => ({ id: `n${i}`, spec: "no-op" })) });

async function waitWorkersHealthy(pool: string): Promise<void> {
  const health = createServiceClient(HealthService, { address: services, timeoutMs: 5000 });
  for (;;) {
    const { statuses } = await health.checkHealth({ instances: [`@pool:${pool}`] }).catch(() => ({ statuses: {} as Record<string, string> }));
    const healthy = Object.values(statuses).filter((s) => s === "healthy").length;
    if (healthy === WORKERS && scheduler.directory.list().filter((i) => i.pool === pool && i.health === "healthy").length === WORKERS) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Until every worker of pool "bench" holds its Work stream to the scheduler. */
async function waitStreams(): Promise<void> {
  while (Array.from({ length: WORKERS }, (_, i) => `bench-${i + 1}`).some((name) => !scheduler.streams.has(name))) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function floor(samples: number): Promise<number[]> {
  const listener = new pg.Client({ connectionString: url });
  const writer = new pg.Client({ connectionString: url });
  await listener.connect();
  await writer.connect();
  await writer.query("create table if not exists bench_floor (id bigserial primary key, at double precision)");
  await listener.query("listen bench_floor");
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const received = new Promise<number>((resolve) => listener.once("notification", () => resolve(now())));
    await writer.query("begin");
    await writer.query("insert into bench_floor (at) values ($1)", [i]);
    await writer.query("select pg_notify('bench_floor', $1)", [String(i)]);
    const committing = now(); // as the scheduler measures: when COMMIT is sent
    await writer.query("commit");
    latencies.push((await received) - committing);
  }
  await listener.end();
  await writer.end();
  return latencies;
}

async function graphile(n: number, concurrency = CONCURRENCY): Promise<number> {
  const connectionString = url!;
  const silent = new GraphileLogger(() => () => {});
  const utils = await makeWorkerUtils({ connectionString, logger: silent });
  await utils.migrate();
  let done = 0;
  let finish: () => void = () => {};
  const all = new Promise<void>((r) => (finish = r));
  const runner = await runGraphile({
    connectionString,
    concurrency,
    noHandleSignals: true,
    pollInterval: 2000,
    logger: silent,
    taskList: {
      noop: async () => {
        if (++done === n) finish();
      },
    },
  });
  const t0 = now();
  for (let i = 0; i < n; i += 5000) await utils.addJobs(Array.from({ length: Math.min(5000, n - i) }, () => ({ identifier: "noop", payload: {} })));
  await all;
  const ms = now() - t0;
  await runner.stop();
  await utils.release();
  return ms;
}

/** CPU per task of each process group over a measured span (µs per task). */
const cpuGroups = {
  scheduler: () => [process.pid],
  serve: () => [serve.pid!],
  workers: () => [workers.pid!, unaryWorkers.pid!],
  postgres: () => pidsOf("postgres"),
};
async function withCpu<T>(tasks: number, fn: () => Promise<T>): Promise<{ result: T; usPerTask: Record<string, number> }> {
  const read = measureCpu(cpuGroups);
  const result = await fn();
  const ms = read();
  const usPerTask = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, (v * 1000) / tasks]));
  return { result, usPerTask };
}
const cpuLine = (u: Record<string, number>) =>
  `${Object.values(u).reduce((a, b) => a + b, 0).toFixed(0)} µs (${Object.entries(u).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ")})`;

await waitWorkersHealthy("bench");
await waitWorkersHealthy("unary");
await waitStreams();
const FLOOR_SAMPLES = Number(process.env.FLOOR_SAMPLES ?? 1000);
await timeRun(independent(Math.min(2000, N)), CONCURRENCY); // warm-up
await timeRun(independent(Math.min(2000, N)), CONCURRENCY, "unary");

/** The layered DAG of (b): LAYERS × WIDTH tasks, each depending on two of the layer before. */
function layeredDag(): Array<{ id: string; spec: string; deps: string[] }> {
  const tasks = [];
  for (let l = 0; l < LAYERS; l++) {
    for (let i = 0; i < WIDTH; i++) {
      tasks.push({ id: `l${l}-${i}`, spec: "no-op", deps: l === 0 ? [] : [...new Set([`l${l - 1}-${i}`, `l${l - 1}-${(i + 1) % WIDTH}`])] });
    }
  }
  return tasks;
}

if (process.env.PROFILE_B) {
  // Profiling aid: only the DAG of (b) (WIDTH=1: a chain), with its floor measured just before.
  // PRELOAD=<n>: n independent tasks first, so the DAG meets tables as full as in a whole run (no vacuum in between).
  if (process.env.PRELOAD) await timeRun(independent(Number(process.env.PRELOAD)), 64);
  workers.send("reset");
  const tasks = layeredDag();
  const floorB = await floor(FLOOR_SAMPLES);
  const { ms, runId } = await timeRun(JSON.stringify({ tasks }), DAG_CONCURRENCY);
  const promotionB = await promotions(runId, tasks);
  const [p50, f50] = [pct(promotionB, 50), pct(floorB, 50)];
  console.log(
    `(b) only: ${((LAYERS * WIDTH) / (ms / 1000)).toFixed(0)} tasks/s; promotion p50 ${p50.toFixed(2)} ms / floor ${f50.toFixed(2)} ms = ${(p50 / f50).toFixed(2)}×, p99 ${pct(promotionB, 99).toFixed(2)} ms; load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  workers.kill("SIGTERM");
  unaryWorkers.kill("SIGTERM");
  serve.kill("SIGTERM");
  await new Promise((r) => workers.once("exit", r));
  process.exit(0);
}
if (process.env.PROFILE_A) {
  // Profiling aid: only (a), so a --cpu-prof of this process shows the scheduler's own path.
  const { result: profiled, usPerTask } = await withCpu(N, () => timeRun(independent(N), CONCURRENCY));
  console.log(`(a) only: ${(N / (profiled.ms / 1000)).toFixed(0)} tasks/s; CPU per task ${cpuLine(usPerTask)}`);
  workers.kill("SIGTERM");
  unaryWorkers.kill("SIGTERM");
  serve.kill("SIGTERM");
  await new Promise((r) => workers.once("exit", r));
  process.exit(0);
}
const { result: graphileMs, usPerTask: graphileCpu } = await withCpu(N, () => graphile(N));
const { result: ours, usPerTask: oursCpu } = await withCpu(N, () => timeRun(independent(N), CONCURRENCY));
// (c) the same tasks through unary Execute (workers that hold no stream)
const { result: unary, usPerTask: unaryCpu } = await withCpu(N, () => timeRun(independent(N), CONCURRENCY, "unary"));

// (a') the same at a concurrency where the delivery round trip is not the limit
const wideGraphileMs = await graphile(N / 2, WIDE);
const wide = await timeRun(independent(N / 2), WIDE);

/** Promotion latencies (arrival of each task's Execute − commit of its last dependency's completion) of a finished run. */
async function promotions(runId: string, tasks: Array<{ id: string; deps: string[] }>): Promise<number[]> {
  const arrived = await arrivals();
  return tasks
    .filter((t) => t.deps.length > 0)
    .map((t) => arrived[`${runId}:${t.id}`]! - Math.max(...t.deps.map((d) => commits.get(`${runId}:${d}`)!)));
}

// (b') a chain at concurrency 1: promotion latency with nothing queued behind it
workers.send("reset");
commits.clear();
const chainTasks = Array.from({ length: CHAIN }, (_, i) => ({ id: `c${i}`, spec: "no-op", deps: i === 0 ? [] : [`c${i - 1}`] }));
// Each latency workload's floor is measured just before it, so both meet the same machine (load moves during a run).
const chainFloor = await floor(FLOOR_SAMPLES);
const chain = await timeRun(JSON.stringify({ tasks: chainTasks }), 1);
const chainPromotion = await promotions(chain.runId, chainTasks);

workers.send("reset");
commits.clear();
const dagTasks = layeredDag();
const floorLat = await floor(FLOOR_SAMPLES);
const dag = await timeRun(JSON.stringify({ tasks: dagTasks }), DAG_CONCURRENCY);
const promotion = await promotions(dag.runId, dagTasks);

const f = (x: number) => x.toFixed(2);
const oursTps = N / (ours.ms / 1000);
const graphileTps = N / (graphileMs / 1000);
console.log(`
## scheduler (${new Date().toISOString().slice(0, 10)}: Postgres, scheduler in one process, health+router+mailbox in another, ${WORKERS} stream workers in a third, ${WORKERS} unary workers in a fourth; load ${loadBefore} → ${os.loadavg()[0]!.toFixed(1)})

| measure | scheduler | peer / floor | ratio |
| --- | --- | --- | --- |
| (a) ${N} no-op tasks, concurrency ${CONCURRENCY}, pushed on Work streams: tasks/s create → completed | ${oursTps.toFixed(0)} (${(ours.ms / 1000).toFixed(2)} s) | graphile-worker 0.17.3: ${graphileTps.toFixed(0)} (${(graphileMs / 1000).toFixed(2)} s) | **${(oursTps / graphileTps).toFixed(2)}×** |
| (c) the same through unary Execute (no stream): tasks/s | ${(N / (unary.ms / 1000)).toFixed(0)} (${(unary.ms / 1000).toFixed(2)} s) | graphile-worker: ${graphileTps.toFixed(0)} | ${(N / (unary.ms / 1000) / graphileTps).toFixed(2)}× (stream gain ${(unary.ms / ours.ms).toFixed(2)}×) |
| CPU per task, (a) / (c) / graphile (all processes; graphile runs in the bench process) | ${cpuLine(oursCpu)} / ${cpuLine(unaryCpu)} | ${cpuLine(graphileCpu)} | ${(Object.values(oursCpu).reduce((a, b) => a + b, 0) / Object.values(graphileCpu).reduce((a, b) => a + b, 0)).toFixed(2)}× |
| (b) ${LAYERS}×${WIDTH} layered DAG (concurrency ${DAG_CONCURRENCY}): wall time | ${(dag.ms / 1000).toFixed(2)} s (${((LAYERS * WIDTH) / (dag.ms / 1000)).toFixed(0)} tasks/s) | | |
| (b) promotion p50: dependency committed → Execute at worker (ms) | ${f(pct(promotion, 50))} | INSERT+NOTIFY → listener p50 ${f(pct(floorLat, 50))} (measured just before) | **${(pct(promotion, 50) / pct(floorLat, 50)).toFixed(2)}×** |
| (b) promotion p99 (ms) | ${f(pct(promotion, 99))} | p99 ${f(pct(floorLat, 99))} | ${(pct(promotion, 99) / pct(floorLat, 99)).toFixed(2)}× |
| (a') ${N / 2} no-op tasks, concurrency ${WIDE}: tasks/s | ${((N / 2) / (wide.ms / 1000)).toFixed(0)} | graphile-worker at ${WIDE}: ${((N / 2) / (wideGraphileMs / 1000)).toFixed(0)} | ${((N / 2) / (wide.ms / 1000) / ((N / 2) / (wideGraphileMs / 1000))).toFixed(2)}× |
| (b') ${CHAIN}-task chain, concurrency 1: promotion p50 / p99 (ms) | ${f(pct(chainPromotion, 50))} / ${f(pct(chainPromotion, 99))} | floor (measured just before) ${f(pct(chainFloor, 50))} / ${f(pct(chainFloor, 99))} | ${(pct(chainPromotion, 50) / pct(chainFloor, 50)).toFixed(2)}× / ${(pct(chainPromotion, 99) / pct(chainFloor, 99)).toFixed(2)}× |
`);

workers.kill("SIGTERM");
unaryWorkers.kill("SIGTERM");
await server.close();
serve.kill("SIGTERM");
await new Promise((r) => serve.once("exit", r));
await database.close();
await testDatabase.close();
process.exit(0);
