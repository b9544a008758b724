/**
 * Router overhead, measured on this machine in one run: unary Route through
 * the router (a control plane hosting health + router, as `orchestrator
 * serve health router` runs it) against calling the worker directly,
 * against nginx `grpc_pass` to the same worker (nginx-light, one worker
 * process, keepalive upstream), against a bare grpc-js pass-through proxy
 * (bench/support/bare-grpc-proxy.ts: request bytes forwarded, no logic: the
 * floor of any proxy that terminates the call in Node), and against the
 * proxyless client (libs/routing's createRoutingClient: the router's policy
 * in the bench process, calling the worker directly); latency p50/p99 at 1
 * call in flight, throughput at 64 in flight, CPU per call of every proxy
 * process (from /proc/<pid>/stat) and of the bench client itself. Then
 * Fanout to 8 workers, through the router and the proxyless client, against
 * the client calling the 8 itself in parallel. Every process is separate:
 * bench client, control plane, workers, nginx, bare proxy. Measurements are
 * interleaved (latency in short turns of each peer's sequential calls, the
 * load phases one peer after another, a short pause before each) so load
 * from elsewhere on the machine, and each peer's own aftermath, hits every
 * peer alike. The ratios the router's acceptance targets name are printed
 * at the end, with the load average before and after.
 *
 *   npm run bench -- router
 *   ROUNDS=5 SECONDS=5 npm run bench -- router
 *   PEERS=router CPU_PROF_DIR=/tmp/prof npm run bench -- router   # only Route, the router process under --cpu-prof
 *
 * The control plane runs the CLI bundle, as deployed (rebuilt first when the
 * sources are newer). PEERS (comma-separated parts of peer names) limits
 * the peers measured; CPU_PROF_DIR profiles the control plane process
 * (written when the bench ends and stops it).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { fromJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { HealthService, RouterService, WorkerService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { createRoutingClient } from "@orchestrator/routing";

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SERIAL_CALLS = Number(process.env.SERIAL_CALLS ?? 2000);
const SECONDS = Number(process.env.SECONDS ?? 4);
const FANOUT_CALLS = Number(process.env.FANOUT_CALLS ?? 500);
/** Pause before each measured phase, so one peer's load phase (GC, buffers, the proxy catching up) does not spill into the next one's latency. */
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 500);
const PEERS = process.env.PEERS?.split(",").filter(Boolean);
const CPU_PROF_DIR = process.env.CPU_PROF_DIR;
const ROOT = join(import.meta.dirname, "..");
/** PLANE_BIN: another build of the CLI for the control plane (an A/B comparison); its bundle is taken as it is. */
const BIN = process.env.PLANE_BIN ?? join(ROOT, "apps/cli/bin/orchestrator.js");

// The bundle is what runs (bin/orchestrator.js): make sure it is today's.
if (!process.env.PLANE_BIN) execFileSync(process.execPath, [join(ROOT, "scripts/build.mjs"), "--if-stale"], { cwd: ROOT, stdio: "inherit" });
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), "bench-router-"));
// However the bench ends, its child processes end with it.
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});
process.on("uncaughtException", (err) => {
  console.error(err);
  process.exit(1);
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "warn", ...env }, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  return child;
}

async function firstLine(child: ChildProcess): Promise<string> {
  for await (const line of createInterface({ input: child.stdout! })) return line;
  throw new Error("child exited before printing");
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Workers: W1..W8 in one process, unregistered (no heartbeats or activity reports).
const workersProc = start(process.execPath, ["--import", "tsx", "bench/support/echo-workers.ts", "8"]);
const { addresses } = JSON.parse(await firstLine(workersProc)) as { addresses: string[] };
const workerAddress = addresses[0]!;

// Control plane: health + router, one process, PGlite (or DATABASE_URL).
const planePort = await freePort();
const plane = `127.0.0.1:${planePort}`;
const profFlags = CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
const planeProc = start(process.execPath, [...profFlags, BIN, "serve", "health", "router"], { ORCHESTRATOR_PORT: String(planePort), ORCHESTRATOR_ADDR: plane, ORCHESTRATOR_DATA_DIR: dir, ORCHESTRATOR_API_KEY: "" });
const health = createServiceClient(HealthService, { address: plane, timeoutMs: 5000 });
await until("the control plane", () => health.listInstances({}));
for (const [i, address] of addresses.entries()) await health.registerInstance({ name: `W${i + 1}`, address, pool: "bench", replace: true });

// nginx grpc_pass to W1.
const nginxPort = await freePort();
writeFileSync(
  join(dir, "nginx.conf"),
  `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream worker { server ${workerAddress}; keepalive 128; keepalive_requests 100000000; }
  server {
    listen 127.0.0.1:${nginxPort} http2;
    http2_max_concurrent_streams 1024;
    keepalive_requests 100000000;
    location / { grpc_pass grpc://worker; }
  }
}
`,
);
start("/usr/sbin/nginx", ["-c", join(dir, "nginx.conf"), "-p", dir]);

// The bare grpc-js pass-through proxy to W1, in its own process.
const bareProc = start(process.execPath, ["--import", "tsx", "bench/support/bare-grpc-proxy.ts", workerAddress]);
const { address: bareAddress } = JSON.parse(await firstLine(bareProc)) as { address: string };

const payload = fromJson(ValueSchema, { data: "task" });
const direct = createServiceClient(WorkerService, { address: workerAddress, timeoutMs: 10_000 });
const viaNginx = createServiceClient(WorkerService, { address: `127.0.0.1:${nginxPort}`, timeoutMs: 10_000 });
const router = createServiceClient(RouterService, { address: plane, timeoutMs: 10_000 });
const viaBare = createServiceClient(WorkerService, { address: bareAddress, timeoutMs: 10_000 });
// The proxyless client follows the control plane's health stream and calls the workers itself.
const proxyless = createRoutingClient({ healthAddress: plane });
const workerClients = addresses.map((address) => createServiceClient(WorkerService, { address, timeoutMs: 10_000 }));

await until("nginx", () => viaNginx.execute({ payload }));
await until("the bare proxy", () => viaBare.execute({ payload }));
await until("the router to see W1..W8 healthy", async () => {
  const { statuses } = await health.checkHealth({ instances: ["W1..8"] });
  if (!Object.values(statuses).every((s) => s === "healthy")) return undefined;
  for (let i = 1; i <= 8; i++) await router.route({ instances: [`W${i}`], payload, fallback: "none" });
  for (let i = 1; i <= 8; i++) await proxyless.route({ instances: [`W${i}`], payload, fallback: "none" });
  return true;
});

/** CPU time (user + system) a process has used, in ms, from /proc (Linux). */
function cpuMs(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return Number.NaN;
  }
}
const nginxWorkerPid = await until("the nginx worker", async () => {
  const master = Number(readFileSync(join(dir, "nginx.pid"), "utf8").trim());
  const children = readFileSync(`/proc/${master}/task/${master}/children`, "utf8").trim();
  return children ? Number(children.split(" ")[0]) : undefined;
});

type Call = () => Promise<unknown>;
const chosen = <T extends { name: string }>(list: T[]) => (PEERS ? list.filter((p) => PEERS.some((part) => p.name.includes(part))) : list);
const peers: Array<{ name: string; call: Call; proxyPid?: number }> = chosen([
  { name: "direct", call: () => direct.execute({ payload }) },
  { name: "nginx grpc_pass", call: () => viaNginx.execute({ payload }), proxyPid: nginxWorkerPid },
  { name: "bare grpc-js proxy", call: () => viaBare.execute({ payload }), proxyPid: bareProc.pid },
  { name: "router Route", call: () => router.route({ instances: ["W1"], payload, fallback: "none" }), proxyPid: planeProc.pid },
  { name: "proxyless client", call: () => proxyless.route({ instances: ["W1"], payload, fallback: "none" }) },
]);
const fanoutPeers: Array<{ name: string; call: Call }> = chosen([
  { name: "client's own 8 parallel Execute calls", call: () => Promise.all(workerClients.map((c) => c.execute({ payload }))) },
  { name: "router Fanout (aggregate all)", call: () => router.fanout({ targets: ["W1..8"], payload }) },
  { name: "proxyless client fanout (aggregate all)", call: () => proxyless.fanout({ targets: ["W1..8"], payload }) },
]);

const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/** Sequential calls: latency samples in ms. */
async function serial(call: Call, n: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call();
    samples.push(performance.now() - t);
  }
  return samples;
}

/** `inFlight` concurrent loops for `seconds`: completed calls and latency samples. The first failure ends the run. */
async function loaded(call: Call, inFlight: number, seconds: number): Promise<{ calls: number; ms: number; samples: number[] }> {
  const samples: number[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  let failure: unknown;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end && failure === undefined) {
        const t = performance.now();
        try {
          await call();
        } catch (err) {
          failure ??= err;
          return;
        }
        samples.push(performance.now() - t);
      }
    }),
  );
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
  return { calls: samples.length, ms: performance.now() - started, samples };
}

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

// Warm up every path (JIT, connections, pools).
for (const peer of peers) {
  await loaded(peer.call, 16, 1).catch((err: unknown) => {
    throw new Error(`warm-up of ${peer.name} failed: ${String(err)}`);
  });
}
for (const peer of fanoutPeers) await serial(peer.call, 100);

/** CPU time (user + system) this bench client has used, in ms. */
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
// What each proxy process burns with no calls in flight (the control plane's
// health probes and streams, its database, timers), measured before the
// rounds; its CPU per call is also reported with this subtracted, so that
// it counts the calls only (as the rpc bench's black box does).
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 3);
const idleRate = new Map<string, number>();
{
  const before = peers.map((p) => cpuMs(p.proxyPid));
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const elapsed = performance.now() - started;
  peers.forEach((p, i) => idleRate.set(p.name, Math.max(0, (cpuMs(p.proxyPid) - before[i]!) / elapsed)));
}
const loadBefore = loadavg();
const results = new Map(peers.map((p) => [p.name, { serial: [] as number[], loadedSamples: [] as number[], calls: 0, ms: 0, proxyCpuMs: 0, proxyIdleMs: 0, clientCpuMs: 0 }]));
/** Latency blocks per round: each peer's sequential calls run in short turns, peer after peer, so every peer meets the same conditions. */
const BLOCKS = Number(process.env.BLOCKS ?? 10);
const named =
  (name: string) =>
  (err: unknown): never => {
    throw new Error(`${name}: ${String(err)}`);
  };
for (let round = 0; round < ROUNDS; round++) {
  await settle();
  for (let block = 0; block < BLOCKS; block++) {
    for (const peer of peers) {
      results.get(peer.name)!.serial.push(...(await serial(peer.call, Math.ceil(SERIAL_CALLS / BLOCKS)).catch(named(peer.name))));
    }
  }
  for (const peer of peers) {
    const r = results.get(peer.name)!;
    await settle();
    const cpuBefore = cpuMs(peer.proxyPid);
    const clientBefore = ownCpuMs();
    const l = await loaded(peer.call, 64, SECONDS).catch(named(peer.name));
    r.proxyCpuMs += cpuMs(peer.proxyPid) - cpuBefore;
    r.proxyIdleMs += idleRate.get(peer.name)! * l.ms;
    r.clientCpuMs += ownCpuMs() - clientBefore;
    r.loadedSamples.push(...l.samples);
    r.calls += l.calls;
    r.ms += l.ms;
  }
}

const fanoutSamples = new Map(fanoutPeers.map((p) => [p.name, [] as number[]]));
for (let round = 0; round < ROUNDS; round++) {
  await settle();
  for (let block = 0; block < BLOCKS; block++) {
    for (const peer of fanoutPeers) fanoutSamples.get(peer.name)!.push(...(await serial(peer.call, Math.ceil(FANOUT_CALLS / BLOCKS)).catch(named(peer.name))));
  }
}
const loadAfter = loadavg();
if (CPU_PROF_DIR) {
  // The profile is written when the process exits of its own accord.
  const exited = new Promise((resolve) => planeProc.once("exit", resolve));
  planeProc.kill("SIGTERM");
  await exited;
}

const f = (x: number) => x.toFixed(3);
const row = (name: string) => {
  const r = results.get(name)!;
  return {
    p50: pct(r.serial, 50),
    p99: pct(r.serial, 99),
    rps: (r.calls / r.ms) * 1000,
    p50At64: pct(r.loadedSamples, 50),
    p99At64: pct(r.loadedSamples, 99),
    proxyCpuUsPerCall: (r.proxyCpuMs * 1000) / r.calls,
    proxyBusyUsPerCall: ((r.proxyCpuMs - r.proxyIdleMs) * 1000) / r.calls,
    clientCpuUsPerCall: (r.clientCpuMs * 1000) / r.calls,
  };
};
if (PEERS) {
  // A partial run (profiling): the rows measured, no ratios.
  for (const name of results.keys()) console.log(name, JSON.stringify(row(name)));
  for (const [name, samples] of fanoutSamples) console.log(name, `p50 ${f(pct(samples, 50))} ms`);
  process.exit(0);
}
const d = row("direct");
const n = row("nginx grpc_pass");
const bare = row("bare grpc-js proxy");
const rt = row("router Route");
const pl = row("proxyless client");
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
console.log(`\nrouter bench: ${ROUNDS} rounds × (${SERIAL_CALLS} sequential calls + ${SECONDS} s at 64 in flight) per peer, interleaved; ${cpus().length} cores, Node ${process.version}, nginx 1.22 (1 worker)`);
console.log(`load average (1 5 15 min): ${load(loadBefore)} before, ${load(loadAfter)} after`);
const idleText = peers.filter((p) => p.proxyPid).map((p) => `${p.name} ${(idleRate.get(p.name)! * 100).toFixed(1)}%`);
console.log(`proxy processes idle (no calls, ${IDLE_SECONDS} s), share of a core: ${idleText.join(", ")}\n`);
console.log("| path | p50 ms (1 in flight) | p99 ms (1 in flight) | calls/s (64 in flight) | p50 ms (64) | p99 ms (64) | proxy CPU µs/call (64) | proxy CPU µs/call, idle subtracted | client CPU µs/call (64) |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const [name, r] of [["direct", d], ["nginx grpc_pass", n], ["bare grpc-js proxy", bare], ["router Route", rt], ["proxyless client", pl]] as const) {
  const cpu = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "-");
  console.log(
    `| ${name} | ${f(r.p50)} | ${f(r.p99)} | ${r.rps.toFixed(0)} | ${f(r.p50At64)} | ${f(r.p99At64)} | ${cpu(r.proxyCpuUsPerCall)} | ${cpu(r.proxyBusyUsPerCall)} | ${r.clientCpuUsPerCall.toFixed(0)} |`,
  );
}
const overhead = { nginx: n.p50 - d.p50, bare: bare.p50 - d.p50, router: rt.p50 - d.p50 };
const ratio = (x: number, y: number) => (x / y).toFixed(2);
console.log(`\noverhead at p50 (peer − direct): nginx ${f(overhead.nginx)} ms, bare grpc-js proxy ${f(overhead.bare)} ms, router ${f(overhead.router)} ms`);
console.log("\n| acceptance ratio | value | target |\n| --- | --- | --- |");
console.log(`| Route p50 / bare proxy p50 (1 in flight) | ${ratio(rt.p50, bare.p50)} | ≤ 1.15 |`);
console.log(`| router CPU per call / bare proxy's (64 in flight) | ${ratio(rt.proxyCpuUsPerCall, bare.proxyCpuUsPerCall)} | ≤ 1.25 |`);
console.log(`| the same, idle CPU of each process subtracted | ${ratio(rt.proxyBusyUsPerCall, bare.proxyBusyUsPerCall)} | ≤ 1.25 |`);
console.log(`| router throughput / bare proxy's (64 in flight) | ${ratio(rt.rps, bare.rps)} | ≥ 0.90 |`);
console.log(`| router CPU per call / nginx's (64 in flight) | ${ratio(rt.proxyCpuUsPerCall, n.proxyCpuUsPerCall)} | (reported) |`);
console.log(`| router throughput / nginx's (64 in flight) | ${ratio(rt.rps, n.rps)} | (reported) |`);
console.log(`| Route p50 / nginx p50 (1 in flight) | ${ratio(rt.p50, n.p50)} | (reported) |`);
console.log(`| proxyless p50 / direct p50 (1 in flight) | ${ratio(pl.p50, d.p50)} | ≤ 1.10 |`);
console.log(`| proxyless throughput / direct (64 in flight) | ${ratio(pl.rps, d.rps)} | (reported) |`);
const fan = (name: string, p: number) => pct(fanoutSamples.get(name)!, p);
const own = fanoutPeers[0]!.name;
console.log("\n| fanout to 8 (1 at a time) | p50 ms | p99 ms | p50 / client's own |\n| --- | --- | --- | --- |");
for (const peer of fanoutPeers) console.log(`| ${peer.name} | ${f(fan(peer.name, 50))} | ${f(fan(peer.name, 99))} | ${ratio(fan(peer.name, 50), fan(own, 50))} |`);
console.log(`\nfanout to 8, p50 / client's own 8 parallel calls (target ≤ 1.20): router ${ratio(fan(fanoutPeers[1]!.name, 50), fan(own, 50))}, proxyless ${ratio(fan(fanoutPeers[2]!.name, 50), fan(own, 50))}`);

process.exit(0);
