/**
 * The mailbox against its floors and a peer, in one run on real Postgres:
 *
 * - send-to-wake latency, end to end: from the Send call (gRPC, through
 *   replica A) to the return of a Check that was already waiting (through
 *   replica B, so the wake-up crosses processes through LISTEN/NOTIFY), and
 *   the same within one replica;
 * - the same without RPC ("core"): Mailbox.send on one in-process replica to
 *   a wait on another (own pools, own LISTEN sessions), which is what the
 *   mailbox itself adds to the floor; and the RPC floor, a trivial unary call
 *   (grpc.health.v1 Check) to a replica, which is what every RPC adds;
 * - the raw floor: an INSERT + pg_notify committed by one pg client, until a
 *   LISTENing pg client on the same Postgres receives it;
 * - graphile-worker 0.17.3: `addJob` until the task starts (worker in this
 *   process, LISTEN/NOTIFY-driven);
 * - sustained Sends/s with 8 concurrent senders over RPC (through both
 *   replicas), against graphile-worker's `addJob` rate from 8 concurrent
 *   in-process adders (the peer), the trivial-RPC ceiling to the same
 *   replicas (8 concurrent grpc.health.v1 Check callers: what the wire
 *   allows) and the raw INSERT ceiling (8 pg clients inserting message rows).
 *
 * Replicas are `orchestrator serve mailbox` child processes, as deployed.
 * Each throughput workload runs 1 s at full concurrency before it is
 * measured (the latency trials send one at a time).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- mailbox
 *   (TRIALS=300 DURATION_MS=5000 to change the sample sizes; CPU_PROF_DIR=dir
 *   writes a V8 CPU profile of each replica there, for where the time goes)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { loadavg } from "node:os";
import { join } from "node:path";
import { defaultMailboxConfig } from "@orchestrator/config";
import { grpcHealth, MailboxService } from "@orchestrator/contracts";
import { createTestDatabase, openDatabase } from "@orchestrator/db";
import { createMailboxModule, type MailboxModule } from "@orchestrator/mailbox";
import { createServiceClient } from "@orchestrator/rpc";
import { Logger as GraphileLogger, makeWorkerUtils, run as runGraphile } from "graphile-worker";
import pg from "pg";
import { pino } from "pino";

const TRIALS = Number(process.env.TRIALS ?? 300);
const WARMUP = 30;
const DURATION_MS = Number(process.env.DURATION_MS ?? 5000);
const SENDERS = 8;
/** Warm-up of each throughput workload (mailbox Sends and graphile's addJob), at full concurrency, before it is measured. */
const WARMUP_MS = 1000;
/**
 * Idle time before every latency trial, on every path alike: the RPC path
 * needs it (the waiting Check must reach its replica before the Send), and
 * an idle gap makes the next wake-up dearer on this VM (a trivial RPC: about
 * 1.9 ms after 10 ms idle against 1.0 ms back to back), so the floor and the
 * peer are measured after the same gap rather than hot.
 */
const IDLE_GAP_MS = 10;
const BIN = join(import.meta.dirname, "../apps/cli/bin/orchestrator.js");
const CPU_PROF_DIR = process.env.CPU_PROF_DIR;
const loadAtStart = loadavg().map((x) => x.toFixed(2)).join(", ");

if (!process.env.DATABASE_URL) {
  console.error("bench/mailbox needs real Postgres: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- mailbox");
  process.exit(2);
}

const database = await createTestDatabase();
const url = database.url!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** One `orchestrator serve mailbox` replica on the bench database. */
async function startReplica(): Promise<{ address: string; child: ChildProcess }> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const profile = CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, BIN, "serve", "mailbox"], {
    env: { ...process.env, DATABASE_URL: url, ORCHESTRATOR_PORT: String(port), ORCHESTRATOR_HEALTH_ADDR: "127.0.0.1:1", LOG_LEVEL: "warn" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const client = createServiceClient(MailboxService, { address, timeoutMs: 1000 });
  for (let i = 0; ; i++) {
    try {
      await client.inbox({ handle: "ready" });
      return { address, child };
    } catch (err) {
      if (i > 300) throw err;
      await sleep(100);
    }
  }
}

const [a, b] = [await startReplica(), await startReplica()];
const clientA = createServiceClient(MailboxService, { address: a.address, timeoutMs: 30_000 });
const clientB = createServiceClient(MailboxService, { address: b.address, timeoutMs: 30_000 });
const healthA = createServiceClient(grpcHealth.Health, { address: a.address, timeoutMs: 30_000 });
const healthB = createServiceClient(grpcHealth.Health, { address: b.address, timeoutMs: 30_000 });

/** Two replicas' modules in this process, each with its own pool and LISTEN session: the mailbox without RPC. */
async function startCore(): Promise<{ modules: MailboxModule[]; close(): Promise<void> }> {
  const logger = pino({ level: "silent" });
  const handles = await Promise.all([0, 1].map(() => openDatabase({ url, poolMax: 10, applicationName: "bench-core" })));
  const modules = handles.map((database) =>
    createMailboxModule({ database, logger, healthAddress: () => "127.0.0.1:1", apiKey: undefined, config: defaultMailboxConfig() }),
  );
  for (const m of modules) await m.start!();
  return {
    modules,
    async close() {
      for (const m of modules) await m.stop!();
      for (const h of handles) await h.close();
    },
  };
}

/** Mailbox.send on replica 0 → a wait already registered on replica 1 returns. */
async function coreSendToWake(core: MailboxModule[], trials: number, tag: string): Promise<number[]> {
  const [sender, waiter] = core as [MailboxModule, MailboxModule];
  const out: number[] = [];
  for (let i = 0; i < trials; i++) {
    const handle = `${tag}-${i}`;
    const waiting = waiter.mailbox
      .check({ handle, unreadOnly: true, types: [], limit: 0, markRead: false, wait: { timeoutMs: 10_000, signal: new AbortController().signal } })
      .then((res) => {
        if (res.messages.length !== 1) throw new Error(`${handle}: woke without its message`);
        return performance.now();
      });
    while (waiter.waiterCount() === 0) await new Promise((r) => setImmediate(r));
    await sleep(IDLE_GAP_MS);
    const t0 = performance.now();
    await sender.mailbox.send({ to: handle, from: "bench", subject: "wake", body: "x".repeat(64), type: "worker_done", priority: "", threadId: "", payload: "" });
    out.push((await waiting) - t0);
  }
  return out;
}

/** One trivial unary RPC (grpc.health.v1 Check) round trip: what any RPC costs here. */
async function rpcFloor(trials: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < trials; i++) {
    await sleep(IDLE_GAP_MS);
    const t0 = performance.now();
    await healthA.check({ service: "" });
    out.push(performance.now() - t0);
  }
  return out;
}

/** Send (through `via`) → return of a Check already waiting (through `waitOn`). */
async function sendToWake(via: typeof clientA, waitOn: typeof clientA, trials: number, tag: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < trials; i++) {
    const handle = `${tag}-${i}`;
    const waiting = waitOn.check({ handle, wait: true, timeoutMs: 10_000 }).then((res) => {
      if (res.messages.length !== 1) throw new Error(`${handle}: woke without its message`);
      return performance.now();
    });
    await sleep(IDLE_GAP_MS); // let the Check reach its replica and register (it answers nothing before a message exists)
    const t0 = performance.now();
    await via.send({ to: handle, from: "bench", subject: "wake", type: "worker_done", body: "x".repeat(64) });
    out.push((await waiting) - t0);
  }
  return out;
}

/** INSERT + pg_notify by one client until a LISTENing client receives it: the floor under any LISTEN/NOTIFY wake-up. */
async function rawFloor(trials: number): Promise<number[]> {
  const listener = new pg.Client({ connectionString: url });
  const writer = new pg.Client({ connectionString: url });
  await listener.connect();
  await writer.connect();
  let received: ((id: string) => void) | undefined;
  listener.on("notification", (n) => received?.(n.payload ?? ""));
  await listener.query("LISTEN raw_bench");
  const out: number[] = [];
  for (let i = 0; i < trials; i++) {
    const got = new Promise<number>((resolve) => (received = () => resolve(performance.now())));
    await sleep(IDLE_GAP_MS);
    const t0 = performance.now();
    await writer.query(
      "with ins as (insert into raw_messages (to_handle, subject, body) values ($1, 'wake', $2) returning id) select pg_notify('raw_bench', id::text) from ins",
      [`raw-${i}`, "x".repeat(64)],
    );
    out.push((await got) - t0);
  }
  await listener.end();
  await writer.end();
  return out;
}

/** graphile-worker: addJob → task start, one job at a time. */
async function graphile(trials: number): Promise<number[]> {
  const logger = new GraphileLogger(() => () => {});
  let started: (() => void) | undefined;
  const runner = await runGraphile({
    connectionString: url,
    concurrency: 1,
    noHandleSignals: true,
    pollInterval: 2000,
    logger,
    taskList: { bench: async () => started?.() },
  });
  const utils = await makeWorkerUtils({ connectionString: url, logger });
  const out: number[] = [];
  for (let i = 0; i < trials; i++) {
    const got = new Promise<number>((resolve) => (started = () => resolve(performance.now())));
    await sleep(IDLE_GAP_MS);
    const t0 = performance.now();
    await utils.addJob("bench", { i });
    out.push((await got) - t0);
  }
  await utils.release();
  await runner.stop();
  return out;
}

/** graphile-worker: jobs/s that SENDERS concurrent in-process `addJob` callers add (one pool, as an app would), after the same warm-up as the mailbox. */
async function graphileAddRate(): Promise<number> {
  const utils = await makeWorkerUtils({ connectionString: url, logger: new GraphileLogger(() => () => {}) });
  await rate((s) => utils.addJob("bench_rate", { s, warm: true }), WARMUP_MS);
  const added = await rate((s) => utils.addJob("bench_rate", { s }));
  await utils.release();
  return added;
}

/** Operations/s of SENDERS concurrent loops running `op(sender)` for `ms` (DURATION_MS). */
async function rate(op: (sender: number) => Promise<unknown>, ms = DURATION_MS): Promise<number> {
  const deadline = performance.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: SENDERS }, async (_, s) => {
      while (performance.now() < deadline) {
        await op(s);
        done += 1;
      }
    }),
  );
  return done / (ms / 1000);
}

/** Sends/s through the two replicas over RPC; `to(s)` picks each sender's recipient. */
const mailboxThroughput = (to: (sender: number) => string, ms = DURATION_MS) =>
  rate((s) => (s % 2 ? clientB : clientA).send({ to: to(s), from: `sender-${s}`, subject: "load", type: "status", body: "x".repeat(64) }), ms);

/** Rows/s of SENDERS pg clients each inserting one message row per statement (autocommit). */
async function rawInsertCeiling(): Promise<number> {
  const clients = await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    }),
  );
  const deadline = performance.now() + DURATION_MS;
  let inserted = 0;
  await Promise.all(
    clients.map(async (c, s) => {
      while (performance.now() < deadline) {
        await c.query("insert into raw_messages (to_handle, subject, body) values ($1, 'load', $2)", [`raw-${s}`, "x".repeat(64)]);
        inserted += 1;
      }
    }),
  );
  await Promise.all(clients.map((c) => c.end()));
  return inserted / (DURATION_MS / 1000);
}

await database.db.schema
  .createTable("raw_messages")
  .addColumn("id", "bigserial", (c) => c.primaryKey())
  .addColumn("to_handle", "text", (c) => c.notNull())
  .addColumn("subject", "text", (c) => c.notNull())
  .addColumn("body", "text", (c) => c.notNull())
  .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(new Date().toISOString()))
  .execute();

const core = await startCore();
await sendToWake(clientA, clientB, WARMUP, "warm");
await coreSendToWake(core.modules, WARMUP, "warm-core");
await rawFloor(WARMUP);
await rpcFloor(WARMUP);
const cross = await sendToWake(clientA, clientB, TRIALS, "cross");
const same = await sendToWake(clientA, clientA, TRIALS, "same");
const coreWake = await coreSendToWake(core.modules, TRIALS, "core");
const rpc = await rpcFloor(TRIALS);
const floor = await rawFloor(TRIALS);
await graphile(WARMUP);
const graphileStart = await graphile(TRIALS);

// Warm-up at the same concurrency first (the latency trials above only ever sent one at a time): JIT, the batch statement's plan, the pools.
await mailboxThroughput((s) => `warm-inbox-${s}`, WARMUP_MS);
const distinct = await mailboxThroughput((s) => `inbox-${s}`);
const hot = await mailboxThroughput(() => "hot-inbox");
const coreSend = (to: string, s: number) =>
  core.modules[s % 2]!.mailbox.send({ to, from: `sender-${s}`, subject: "load", body: "x".repeat(64), type: "status", priority: "", threadId: "", payload: "" });
await rate((s) => coreSend(`warm-core-${s}`, s), WARMUP_MS);
const coreRate = await rate((s) => coreSend(`core-${s}`, s));
const rpcRate = await rate((s) => (s % 2 ? healthB : healthA).check({ service: "" }));
const graphileRate = await graphileAddRate();
const ceiling = await rawInsertCeiling();
await core.close();

await Promise.all(
  [a, b].map((r) => new Promise((resolve) => {
    r.child.once("exit", resolve);
    r.child.kill("SIGTERM");
  })),
);
await database.close();

const load = loadavg().map((x) => x.toFixed(2)).join(", ");
const ms = (x: number) => x.toFixed(2);
const lat = (label: string, xs: number[]) => `| ${label} | ${ms(pct(xs, 50))} | ${ms(pct(xs, 99))} | ${(pct(xs, 50) / pct(floor, 50)).toFixed(1)}× |`;
const date = new Date().toISOString().slice(0, 10);
const p50 = (xs: number[]) => pct(xs, 50);
const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
const wakeVsFloor = p50(cross) / p50(floor);
const wakeVsGraphile = p50(graphileStart) / p50(cross);
const sendVsGraphile = distinct / graphileRate;
const sendVsRpc = distinct / rpcRate;
console.log(`### send → wake latency (${TRIALS} trials each, ms; ${date}; load average ${loadAtStart} at the start, ${load} at the end)

| path | p50 | p99 | p50 vs raw floor |
| --- | --- | --- | --- |
${lat("mailbox: Send via replica A → waiting Check on replica B returns", cross)}
${lat("mailbox: Send → waiting Check, same replica", same)}
${lat("mailbox core, no RPC: Mailbox.send (replica 1) → wait on replica 2 returns", coreWake)}
${lat("RPC floor: one trivial unary call (grpc.health.v1 Check) to a replica", rpc)}
${lat("raw floor: INSERT + NOTIFY commit → LISTEN client receives", floor)}
${lat("graphile-worker 0.17.3: addJob → task starts", graphileStart)}

### sustained throughput (${SENDERS} concurrent callers, ${DURATION_MS / 1000} s each)

| workload | per s | vs trivial-RPC ceiling | vs graphile addJob |
| --- | --- | --- | --- |
| mailbox Send over RPC, each sender to its own handle, senders split over 2 replicas | ${distinct.toFixed(0)} | ${((distinct / rpcRate) * 100).toFixed(0)}% | ${(distinct / graphileRate).toFixed(2)}× |
| mailbox Send over RPC, all senders to one handle (sends to one handle serialize on its head row) | ${hot.toFixed(0)} | ${((hot / rpcRate) * 100).toFixed(0)}% | ${(hot / graphileRate).toFixed(2)}× |
| mailbox core, no RPC: Mailbox.send on 2 in-process replicas, each sender to its own handle | ${coreRate.toFixed(0)} | ${((coreRate / rpcRate) * 100).toFixed(0)}% | ${(coreRate / graphileRate).toFixed(2)}× |
| trivial-RPC ceiling: grpc.health.v1 Check to the 2 replicas | ${rpcRate.toFixed(0)} | 100% | ${(rpcRate / graphileRate).toFixed(2)}× |
| graphile-worker 0.17.3 addJob, ${SENDERS} in-process adders | ${graphileRate.toFixed(0)} | ${((graphileRate / rpcRate) * 100).toFixed(0)}% | 1.00× |
| raw INSERT ceiling: ${SENDERS} pg clients, one row per statement | ${ceiling.toFixed(0)} | ${((ceiling / rpcRate) * 100).toFixed(0)}% | ${(ceiling / graphileRate).toFixed(2)}× |

### against the targets (issue 19)

- cross-replica Send → waiting Check p50 is **${wakeVsFloor.toFixed(2)}×** the raw INSERT+NOTIFY floor (target ≤ 3×): ${verdict(wakeVsFloor <= 3)}
- it is **${wakeVsGraphile.toFixed(2)}×** faster than graphile-worker's addJob → task start p50 (target ≥ 1.5×): ${verdict(wakeVsGraphile >= 1.5)}
- 8 RPC senders send **${sendVsGraphile.toFixed(2)}×** graphile-worker's addJob rate from 8 in-process adders (target ≥ 1.0×): ${verdict(sendVsGraphile >= 1)}
- and **${(sendVsRpc * 100).toFixed(0)}%** of the trivial-RPC ceiling to the same replicas (target ≥ 80%): ${verdict(sendVsRpc >= 0.8)}

Without RPC (core) the wake p50 is ${(p50(coreWake) / p50(floor)).toFixed(2)}× the raw floor and ${(p50(graphileStart) / p50(coreWake)).toFixed(2)}× faster than graphile-worker. The end-to-end path makes two RPCs (Send, and the waiting Check's answer) of about ${ms(p50(rpc))} ms each here.
`);
process.exit(0);
