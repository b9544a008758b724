/**
 * The RPC floor every service pays: one trivial unary call
 * (grpc.health.v1 Check) client → server in one process, sequentially,
 * measured as latency and CPU per call, for
 *
 * - raw Node HTTP/2 (request/response, no gRPC framing): the floor;
 * - a raw HTTP/2 client speaking gRPC to a bare connect-node server;
 * - bare connect-node client and server (gRPC, and the Connect protocol
 *   over HTTP/2), no interceptors;
 * - the orchestrator's stack: libs/rpc startServer + createServiceClient
 *   (tracing, error mapping, auth, shutdown, validation interceptors);
 * - REST transcoding (google.api.http) against a Connect JSON call to the
 *   same RPC (RouterService/Route with a canned answer, the same body) on
 *   the same server, over HTTP/1.1 (fetch) and HTTP/2 (one session): the
 *   transcoder's own cost, which must stay within 1.3x. The two paths of a
 *   pair run call by call in alternation (measurePair).
 *
 * It shows where the router, mailbox and scheduler benchmarks' per-call
 * cost comes from: the library, or our interceptors.
 *
 *   npm run bench -- rpc
 */
import http2 from "node:http2";
import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { connectNodeAdapter, createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { allFiles, grpcHealth, RouterService } from "@orchestrator/contracts";
import { createServiceClient, startServer, type ServiceModule } from "@orchestrator/rpc";
import { pino } from "pino";

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

// The orchestrator's stack.
const server = await startServer({ host: "127.0.0.1", port: 0, apiKeys: [], modules: [], reflectionFiles: allFiles, logger: pino({ level: "silent" }), drainTimeoutMs: 100 });
const ours = createServiceClient(grpcHealth.Health, { address: server.address });
rows.push(await measure("orchestrator stack: startServer + createServiceClient, gRPC", () => ours.check({})));

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
console.log(`### one unary call, in process, sequential (${CALLS} calls; ${new Date().toISOString().slice(0, 10)})\n`);
console.log("| path | p50 ms | p99 ms | CPU µs/call | p50 vs raw | CPU vs raw |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const r of rows) {
  console.log(`| ${r.path} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} | ${r.cpuUs.toFixed(0)} | ${(r.p50 / floor.p50).toFixed(1)}× | ${(r.cpuUs / floor.cpuUs).toFixed(1)}× |`);
}
const bareRow = rows.find((r) => r.path.startsWith("bare connect-node client + server, gRPC"))!;
const oursRow = rows.find((r) => r.path.startsWith("orchestrator stack"))!;
console.log(`\nOur interceptors add ${(oursRow.cpuUs - bareRow.cpuUs).toFixed(0)} µs CPU per call to bare connect-node (${((oursRow.cpuUs / bareRow.cpuUs - 1) * 100).toFixed(0)}%); bare connect-node costs ${(bareRow.cpuUs / floor.cpuUs).toFixed(1)}× raw HTTP/2's CPU.`);
for (const [connect, transcoded] of [[restRows[0]!, restRows[1]!], [restRows[2]!, restRows[3]!]] as const) {
  console.log(`REST transcoding: ${transcoded.path.split(",")[0]} costs ${(transcoded.p50 / connect.p50).toFixed(2)}× p50 and ${(transcoded.cpuUs / connect.cpuUs).toFixed(2)}× CPU of ${connect.path.split(",")[0]} (target ≤ 1.3×).`);
}
restSession.close();
await rest.close();
await server.close();
rawSession.close();
rawToBare.close();
raw.close();
bare.close();
process.exit(0);
