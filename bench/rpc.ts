/**
 * The RPC floor every service pays: one trivial unary call
 * (grpc.health.v1 Check) client → server in one process, sequentially,
 * measured as latency and CPU per call, for
 *
 * - raw Node HTTP/2 (request/response, no gRPC framing): the floor;
 * - a raw HTTP/2 client speaking gRPC to each server path: bare
 *   connect-node, bare grpc-js, our core-stream gRPC path without and with
 *   our interceptors;
 * - bare connect-node client and server (gRPC, and the Connect protocol
 *   over HTTP/2), and bare grpc-js client and server, no interceptors;
 * - the previous orchestrator stack (every call through connect-node: the
 *   same sniffer, interceptors and client interceptors, rebuilt here) and
 *   the orchestrator stack on the lean wire: libs/rpc startServer +
 *   createServiceClient (tracing, error mapping, auth, shutdown, validation
 *   interceptors; an API key set on both sides).
 *
 * - REST transcoding (google.api.http) against a Connect JSON call to the
 *   same RPC (RouterService/Route with a canned answer, the same body) on
 *   the same server, over HTTP/1.1 (fetch) and HTTP/2 (one session): the
 *   transcoder's own cost, which must stay within 1.3x. The two paths of a
 *   pair run call by call in alternation (measurePair).
 *
 * Then a black-box comparison, server in its own process: a bare grpc-js
 * client calls Check on `orchestrator serve health` and on a bare grpc-js
 * server, and the server process's CPU per call is read from /proc.
 *
 *   npm run bench -- rpc              # both parts
 *   npm run bench -- rpc black-box    # the black-box part only
 *   DATABASE_URL=postgres://... npm run bench -- rpc   # serve health on real Postgres (PGlite burns CPU idle)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import http2 from "node:http2";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { create } from "@bufbuild/protobuf";
import { createClient, createConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter, createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { allFiles, grpcHealth, RouterService } from "@orchestrator/contracts";
import { createTestDatabase } from "@orchestrator/db";
import {
  createAuthInterceptor,
  createBearerAuthInterceptor,
  createCleartextServer,
  createClientTracingInterceptor,
  createErrorInterceptor,
  createHealthModule,
  createServerTracingInterceptor,
  createServiceClient,
  createShutdownInterceptor,
  HealthStatusRegistry,
  startServer,
  type ServiceModule,
} from "@orchestrator/rpc";
import { initTelemetry } from "@orchestrator/telemetry";
import { pino } from "pino";
import { createGrpcStreamHandler, createValidationInterceptor, recordMethods, type MethodSpecs } from "@orchestrator/rpc/server-internals";
import { bareGrpcJsCheck, startBareGrpcJsServer } from "./support/grpc-js-health.js";

const CALLS = Number(process.env.CALLS ?? 5000);
const WARMUP = 500;

interface Row {
  readonly path: string;
  readonly p50: number;
  readonly p99: number;
  readonly cpuUs: number;
}

async function measure(path: string, call: () => Promise<unknown>): Promise<Row> {
  for (let i = 0; i < WARMUP; i++) await call();
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) {
    const start = performance.now();
    await call();
    times.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  return { path, p50: times[Math.floor(CALLS / 2)]!, p99: times[Math.floor(CALLS * 0.99)]!, cpuUs: (cpu.user + cpu.system) / CALLS };
}

/**
 * Two paths measured call by call in alternation (A, B, A, B, ...), each
 * call's latency and CPU recorded on its own: a busy machine slows both
 * alike, so their ratio holds where two separate runs would not.
 */
async function measurePair(a: string, callA: () => Promise<unknown>, b: string, callB: () => Promise<unknown>): Promise<[Row, Row]> {
  for (let i = 0; i < WARMUP; i++) {
    await callA();
    await callB();
  }
  const paths = [
    { path: a, call: callA, times: [] as number[], cpu: 0 },
    { path: b, call: callB, times: [] as number[], cpu: 0 },
  ];
  for (let i = 0; i < CALLS; i++) {
    for (const p of paths) {
      const cpu0 = process.cpuUsage();
      const start = performance.now();
      await p.call();
      p.times.push(performance.now() - start);
      const cpu = process.cpuUsage(cpu0);
      p.cpu += cpu.user + cpu.system;
    }
  }
  const row = (p: (typeof paths)[number]): Row => {
    p.times.sort((x, y) => x - y);
    return { path: p.path, p50: p.times[Math.floor(CALLS / 2)]!, p99: p.times[Math.floor(CALLS * 0.99)]!, cpuUs: p.cpu / CALLS };
  };
  return [row(paths[0]!), row(paths[1]!)];
}

const listen = async (server: http2.Http2Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
};

const rows: Row[] = [];
const API_KEY = "bench-key";
if (!process.argv.includes("black-box")) {

// Raw HTTP/2: the floor.
const raw = http2.createServer((req, res) => {
  req.resume();
  req.on("end", () => res.end("ok"));
});
const rawSession = http2.connect(await listen(raw));
/** One request on a session; without a body it is a GET (Node ends a GET's stream itself). */
const rawCall = (session: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders, body?: Buffer) =>
  new Promise<void>((resolve, reject) => {
    const stream = session.request(headers);
    stream.on("data", () => undefined);
    stream.on("end", resolve);
    stream.on("error", reject);
    if (body) stream.end(body);
  });
rows.push(await measure("raw Node HTTP/2 request/response", () => rawCall(rawSession, { ":method": "POST", ":path": "/x" }, Buffer.from("hi"))));

// Bare connect-node server (no interceptors).
const check = async () => create(grpcHealth.HealthCheckResponseSchema, { status: grpcHealth.HealthCheckResponse_ServingStatus.SERVING });
const bare = http2.createServer(
  {},
  connectNodeAdapter({
    routes: (router) => router.rpc(grpcHealth.Health.method.check, check),
  }),
);
const bareUrl = await listen(bare);
const grpcFrame = Buffer.from([0, 0, 0, 0, 0]);
const rawToBare = http2.connect(bareUrl);
rows.push(
  await measure("raw HTTP/2 gRPC client → bare connect-node server", () =>
    rawCall(rawToBare, { ":method": "POST", ":path": "/grpc.health.v1.Health/Check", "content-type": "application/grpc", te: "trailers" }, grpcFrame),
  ),
);
const bareGrpc = createClient(grpcHealth.Health, createGrpcTransport({ baseUrl: bareUrl }));
rows.push(await measure("bare connect-node client + server, gRPC", () => bareGrpc.check({})));
const bareConnect = createClient(grpcHealth.Health, createConnectTransport({ baseUrl: bareUrl, httpVersion: "2" }));
rows.push(await measure("bare connect-node client + server, Connect over HTTP/2", () => bareConnect.check({})));

const grpcCall = { ":method": "POST", ":path": "/grpc.health.v1.Health/Check", "content-type": "application/grpc", te: "trailers" };

// Bare grpc-js server and client.
const bareGrpcJs = await startBareGrpcJsServer();
const rawToGrpcJs = http2.connect(`http://${bareGrpcJs.address}`);
rows.push(await measure("raw HTTP/2 gRPC client → bare grpc-js server", () => rawCall(rawToGrpcJs, grpcCall, grpcFrame)));
const grpcJsClient = bareGrpcJsCheck(bareGrpcJs.address);
rows.push(await measure("bare grpc-js client + server", grpcJsClient.call));

// Our core-stream gRPC path alone: the sniffer + createGrpcStreamHandler, no interceptors.
const logger = pino({ level: "silent" });
const serving = new HealthStatusRegistry();
serving.setStatus("", "SERVING");
const coreSpecs: MethodSpecs = new Map();
createHealthModule(serving).register(recordMethods(createConnectRouter(), coreSpecs));
const core = createCleartextServer(() => undefined, createGrpcStreamHandler({ specs: coreSpecs, interceptors: [], readMaxBytes: 16 << 20 }));
const corePort = await core.listen("127.0.0.1", 0);
const rawToCore = http2.connect(`http://127.0.0.1:${corePort}`);
rows.push(await measure("raw HTTP/2 gRPC client → core-stream gRPC path, no interceptors", () => rawCall(rawToCore, grpcCall, grpcFrame)));

// From here on telemetry is on as in a deployed process without an exporter
// (the lean tracer provider and the AsyncLocalStorage context manager), so
// both orchestrator stacks pay for tracing as they would in production; the
// bare rows above ran without it, as a bare process would.
const telemetry = initTelemetry({ serviceName: "bench-rpc", serviceVersion: "0.0.0" });

// The previous orchestrator stack, rebuilt: every wire through connect-node behind the same sniffer, same interceptors both sides.
const previous = createCleartextServer(
  connectNodeAdapter({
    routes: (router) => createHealthModule(serving).register(router),
    interceptors: [
      createServerTracingInterceptor(),
      createErrorInterceptor(logger),
      createAuthInterceptor([API_KEY]),
      createShutdownInterceptor(new AbortController().signal),
      createValidationInterceptor(),
    ],
  }),
);
const previousPort = await previous.listen("127.0.0.1", 0);
const previousClient = createClient(
  grpcHealth.Health,
  createGrpcTransport({
    baseUrl: `http://127.0.0.1:${previousPort}`,
    interceptors: [createClientTracingInterceptor("grpc"), createBearerAuthInterceptor(API_KEY)],
    defaultTimeoutMs: 30_000,
  }),
);
rows.push(await measure("previous orchestrator stack: connect-node server + client, gRPC", () => previousClient.check({})));

// The orchestrator's stack on the lean wire.
const server = await startServer({ host: "127.0.0.1", port: 0, apiKeys: [API_KEY], modules: [], reflectionFiles: allFiles, logger, drainTimeoutMs: 100 });
const rawToOurs = http2.connect(`http://${server.address}`);
rows.push(await measure("raw HTTP/2 gRPC client → orchestrator server (startServer)", () => rawCall(rawToOurs, grpcCall, grpcFrame)));
const grpcJsToOurs = bareGrpcJsCheck(server.address);
rows.push(await measure("bare grpc-js client → orchestrator server (startServer)", grpcJsToOurs.call));
const ours = createServiceClient(grpcHealth.Health, { address: server.address, apiKey: API_KEY });
rows.push(await measure("orchestrator stack: startServer + createServiceClient, gRPC (grpc-js client, the default)", () => ours.check({})));
const oursConnectNode = createServiceClient(grpcHealth.Health, { address: server.address, apiKey: API_KEY, grpcClient: "connect-node" });
rows.push(await measure("orchestrator stack, gRPC, connect-node client", () => oursConnectNode.check({})));
const oursConnect = createServiceClient(grpcHealth.Health, { address: server.address, apiKey: API_KEY, protocol: "connect" });
rows.push(await measure("orchestrator stack, Connect over HTTP/1.1 (connect-node)", () => oursConnect.check({})));

// REST transcoding vs Connect JSON: the same RPC (RouterService/Route, a canned answer) with the
// same JSON body on the same server, auth, validation and tracing on both.
const KEY = "bench-key";
const cannedRouter: ServiceModule = {
  serviceNames: [RouterService.typeName],
  register: (router) => router.service(RouterService, { route: async (req) => ({ instance: req.instances[0] ?? "", result: { kind: { case: "stringValue", value: "ok" } } }) }),
};
const rest = await startServer({ host: "127.0.0.1", port: 0, apiKeys: [KEY], modules: [cannedRouter], reflectionFiles: allFiles, logger: pino({ level: "silent" }), drainTimeoutMs: 100 });
const restBase = `http://${rest.address}`;
const routeBody = JSON.stringify({ instances: ["A", "B"], payload: { data: "task" } });
const jsonHeaders = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
const CONNECT_PATH = "/orchestrator.router.v1.RouterService/Route";
const REST_PATH = "/api/orchestrator/route";
const post = async (path: string) => {
  const res = await fetch(`${restBase}${path}`, { method: "POST", headers: jsonHeaders, body: routeBody });
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
  await res.json();
};
const restSession = http2.connect(restBase);
const post2 = (path: string) => rawCall(restSession, { ":method": "POST", ":path": path, ...jsonHeaders }, Buffer.from(routeBody));
for (const path of [CONNECT_PATH, REST_PATH]) {
  const status = await new Promise<number>((resolve, reject) => {
    const stream = restSession.request({ ":method": "POST", ":path": path, ...jsonHeaders });
    stream.on("response", (h) => resolve(Number(h[":status"])));
    stream.on("error", reject);
    stream.resume();
    stream.end(routeBody);
  });
  if (status !== 200) throw new Error(`HTTP/2 ${path}: HTTP ${status}`);
}
const restRows: Row[] = [
  ...(await measurePair("Connect JSON over HTTP/1.1 (fetch), POST RouterService/Route", () => post(CONNECT_PATH), "REST over HTTP/1.1 (fetch), POST /api/orchestrator/route", () => post(REST_PATH))),
  ...(await measurePair("Connect JSON over HTTP/2, POST RouterService/Route", () => post2(CONNECT_PATH), "REST over HTTP/2, POST /api/orchestrator/route", () => post2(REST_PATH))),
];
rows.push(...restRows);

const floor = rows[0]!;
console.log(`### one unary call, in process, sequential (${CALLS} calls; ${new Date().toISOString().slice(0, 16)} UTC; load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")})\n`);
console.log("| path | p50 ms | p99 ms | CPU µs/call | p50 vs raw | CPU vs raw |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const r of rows) {
  console.log(`| ${r.path} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} | ${r.cpuUs.toFixed(0)} | ${(r.p50 / floor.p50).toFixed(1)}× | ${(r.cpuUs / floor.cpuUs).toFixed(1)}× |`);
}
const row = (path: string) => rows.find((r) => r.path.startsWith(path))!;
const grpcJsRow = row("bare grpc-js client + server");
const oursRow = row("orchestrator stack: startServer");
const previousRow = row("previous orchestrator stack");
console.log(
  `\nOur stack vs bare grpc-js: CPU ${(oursRow.cpuUs / grpcJsRow.cpuUs).toFixed(2)}×, p50 ${(oursRow.p50 / grpcJsRow.p50).toFixed(2)}× (target ≤ 1.3×). ` +
    `Previous stack vs ours: CPU ${(previousRow.cpuUs / oursRow.cpuUs).toFixed(2)}×, p50 ${(previousRow.p50 / oursRow.p50).toFixed(2)}× (target ≥ 2×).`,
);
for (const [connect, transcoded] of [[restRows[0]!, restRows[1]!], [restRows[2]!, restRows[3]!]] as const) {
  console.log(`REST transcoding: ${transcoded.path.split(",")[0]} costs ${(transcoded.p50 / connect.p50).toFixed(2)}× p50 and ${(transcoded.cpuUs / connect.cpuUs).toFixed(2)}× CPU of ${connect.path.split(",")[0]} (target ≤ 1.3×).`);
}
restSession.close();
await rest.close();
await server.close();
await telemetry.shutdown();
await core.close(100);
await previous.close(100);
for (const s of [rawSession, rawToBare, rawToGrpcJs, rawToCore, rawToOurs]) s.close();
grpcJsClient.close();
grpcJsToOurs.close();
bareGrpcJs.server.forceShutdown();
raw.close();
bare.close();

}

// Black box: the server in its own process, the client here; the server process's CPU per call.
const BIN = join(import.meta.dirname, "../apps/cli/bin/orchestrator.js");
/**
 * CPU time of a process in µs: the sum of its threads' on-CPU nanoseconds
 * from /proc/<pid>/task/<tid>/schedstat (utime+stime in /proc/<pid>/stat
 * come in 10 ms ticks, too coarse for a few hundred calls' worth and for
 * the idle rate subtracted from it).
 */
const cpuOf = (pid: number) => {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ns / 1000;
};
const firstLine = (child: ChildProcess) =>
  new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once("line", resolve));
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
const IDLE_MS = 3000;
const ROUNDS = 6;
const SERVING = grpcHealth.HealthCheckResponse_ServingStatus.SERVING;

interface BlackBox {
  readonly path: string;
  readonly child: ChildProcess;
  readonly client: ReturnType<typeof bareGrpcJsCheck>;
  idleUsPerS: number;
  cpuUs: number;
  calls: number;
  times: number[];
}

/** Waits until the server answers SERVING, then warms both it and the client up. */
async function ready(path: string, child: ChildProcess, address: string): Promise<BlackBox> {
  const client = bareGrpcJsCheck(address);
  for (let ok = false; !ok; ) {
    ok = await client.call().then((res) => res.status === SERVING, () => false);
    if (!ok) await new Promise((r) => setTimeout(r, 200));
  }
  for (let i = 0; i < 4 * WARMUP; i++) await client.call();
  return { path, child, client, idleUsPerS: 0, cpuUs: 0, calls: 0, times: [] };
}

/**
 * The server process's CPU over `calls` sequential calls, minus what it
 * burns idle over the same wall time (its idle rate is sampled for IDLE_MS
 * first), so background loops are not billed to the calls.
 */
async function round(box: BlackBox, calls: number): Promise<void> {
  const pid = box.child.pid!;
  const cpu0 = cpuOf(pid);
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await box.client.call();
    box.times.push(performance.now() - start);
  }
  const wallS = (performance.now() - t0) / 1000;
  box.cpuUs += cpuOf(pid) - cpu0 - box.idleUsPerS * wallS;
  box.calls += calls;
}

async function idleRate(box: BlackBox): Promise<void> {
  const idle0 = cpuOf(box.child.pid!);
  await new Promise((r) => setTimeout(r, IDLE_MS));
  box.idleUsPerS = ((cpuOf(box.child.pid!) - idle0) / IDLE_MS) * 1000;
}

const bareChild = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "support/bare-grpc-js-server.ts")], { stdio: ["ignore", "pipe", "inherit"] });
const bareAddress = (JSON.parse(await firstLine(bareChild)) as { address: string }).address;
const dataDir = mkdtempSync(join(tmpdir(), "bench-rpc-"));
const port = await freePort();
// Real Postgres when DATABASE_URL is set (a fresh database); PGlite otherwise.
const database = process.env.DATABASE_URL ? await createTestDatabase() : undefined;
const serveChild = spawn(process.execPath, [BIN, "serve", "health"], {
  env: {
    ...process.env,
    ...(database?.url ? { DATABASE_URL: database.url } : {}),
    ORCHESTRATOR_HOST: "127.0.0.1",
    ORCHESTRATOR_PORT: String(port),
    ORCHESTRATOR_DATA_DIR: dataDir,
    ORCHESTRATOR_API_KEY: API_KEY,
    LOG_LEVEL: "warn",
  },
  stdio: ["ignore", "pipe", "inherit"],
});
const boxes = [
  await ready("bare grpc-js server process", bareChild, bareAddress),
  await ready(`\`orchestrator serve health\` process (${database ? "Postgres" : "PGlite"})`, serveChild, `127.0.0.1:${port}`),
];
await Promise.all(boxes.map(idleRate));
// Interleaved rounds, so a burst of load on the shared machine hits both servers alike.
for (let r = 0; r < ROUNDS; r++) {
  for (const box of boxes) await round(box, Math.ceil(CALLS / ROUNDS));
}
for (const box of boxes) {
  box.client.close();
  box.child.kill("SIGTERM");
  await new Promise((resolve) => box.child.once("exit", resolve));
}
await database?.close();
rmSync(dataDir, { recursive: true, force: true });
const [bareBox, serveBox] = boxes.map((b) => {
  const times = [...b.times].sort((x, y) => x - y);
  return { ...b, p50: times[Math.floor(times.length / 2)]!, p99: times[Math.floor(times.length * 0.99)]!, serverCpuUs: b.cpuUs / b.calls };
}) as [BlackBox & { p50: number; p99: number; serverCpuUs: number }, BlackBox & { p50: number; p99: number; serverCpuUs: number }];
console.log(`\n### black box: bare grpc-js client → server in its own process (CPU per call of the server process, from /proc)\n`);
console.log("| server | client p50 ms | client p99 ms | server CPU µs/call | server idle CPU µs/s (subtracted) |");
console.log("| --- | --- | --- | --- | --- |");
for (const b of [bareBox, serveBox]) {
  console.log(`| ${b.path} | ${b.p50.toFixed(3)} | ${b.p99.toFixed(3)} | ${b.serverCpuUs.toFixed(0)} | ${b.idleUsPerS.toFixed(0)} |`);
}
console.log(`\n\`orchestrator serve health\` costs ${(serveBox.serverCpuUs / bareBox.serverCpuUs).toFixed(2)}× a bare grpc-js server's CPU per call (target ≤ 1.3×).`);
process.exit(0);
