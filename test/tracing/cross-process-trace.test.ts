import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fromJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { grpcHealth, HealthService, RouterService } from "@orchestrator/contracts";
import { createTestDatabase, QUERY_SPAN_NAME, testDatabaseAdminUrl, type TestDatabase } from "@orchestrator/db";
import { createServiceClient } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterAll, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { REPO_ROOT } from "../support/render-kustomize.js";
import { startOtlpReceiver, type OtlpReceiver } from "../support/start-otlp-receiver.js";
import { traceTree, type TraceTree } from "../support/trace-tree.js";

const BIN = join(REPO_ROOT, "apps/cli/bin/orchestrator.js");
const API_KEY = "trace-test-key";
const run = promisify(execFile);

/** The processes a case needs, all exporting to one loopback OTLP receiver. */
interface TraceFixture {
  readonly receiver: OtlpReceiver;
  /** host:port of each `serve` process, by its first service. */
  readonly addresses: Readonly<Record<string, string>>;
  /** Runs the CLI against `addr` with the case's exporter settings; resolves with its output even when it fails. */
  cli(addr: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

/**
 * One cross-process trace to prove: the `serve` processes it needs, what to
 * do (usually one CLI command), and what the trace must hold. A case
 * without `run` is still to be written (its service has not landed).
 */
interface TraceCase {
  readonly name: string;
  /** One `orchestrator serve ...` process per entry (shared with the other cases naming the same entry). */
  readonly serve: ReadonlyArray<readonly string[]>;
  readonly run?: (fixture: TraceFixture) => Promise<void>;
}

const CASES: readonly TraceCase[] = [
  {
    name: "CLI `instances register` → health service → its Postgres queries: one trace",
    serve: [["health"]],
    async run({ receiver, addresses, cli }) {
      const before = receiver.spans().length;
      const ok = await cli(addresses.health!, "--json", "instances", "register", "--name", "traced-1", "--address", "127.0.0.1:9", "--pool", "traced");
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject([{ name: "traced-1" }]); // the JSON shape is unchanged by tracing
      // The CLI flushes its spans before it exits.
      const root = receiver.spans().slice(before).find((s) => s.serviceName === "orchestrator-cli" && s.name === "instances register" && !s.parentSpanId);
      expect(root, "the CLI's root span, named after the command").toBeDefined();
      const tree = await completeTrace(receiver, root!.traceId, (t) => t.spans.some((s) => s.serviceName === "orchestrator-health" && s.name === QUERY_SPAN_NAME));
      expect(tree.services).toEqual(["orchestrator-cli", "orchestrator-health"]);
      expect(root!.serviceVersion).toBe("0.1.0");
      const client = tree.find("CLI client span", (s) => s.serviceName === "orchestrator-cli" && s.kind === "client" && s.name.endsWith("HealthService/RegisterInstance"));
      const server = tree.find("health server span", (s) => s.serviceName === "orchestrator-health" && s.kind === "server" && s.name.endsWith("HealthService/RegisterInstance"));
      expect(client.parentSpanId).toBe(root!.spanId);
      expect(server.parentSpanId).toBe(client.spanId);
      const queries = tree.spans.filter((s) => s.name === QUERY_SPAN_NAME);
      expect(queries.length).toBeGreaterThan(0);
      for (const q of queries) {
        expect(q.serviceName).toBe("orchestrator-health");
        expect(tree.descendsFrom(q, server), `${q.attributes["db.query.text"]} under the server span`).toBe(true);
      }
      expect(queries.some((q) => /insert into "instances"/i.test(String(q.attributes["db.query.text"])))).toBe(true);
    },
  },
  {
    name: "a failed CLI call prints the trace id with --json, and that trace holds both sides of the call",
    serve: [["health"]],
    async run({ receiver, addresses, cli }) {
      const health = createServiceClient(HealthService, { address: addresses.health!, apiKey: API_KEY });
      await health.registerInstance({ name: "traced-2", address: "127.0.0.1:9" });
      const again = await cli(addresses.health!, "--json", "instances", "register", "--name", "traced-2", "--address", "127.0.0.1:9");
      expect(again.code).toBe(1);
      const { error } = JSON.parse(again.stderr) as { error: { code: string; traceId: string } };
      expect(error.code).toBe("ALREADY_EXISTS");
      expect(error.traceId).toMatch(/^[0-9a-f]{32}$/);
      const tree = await completeTrace(receiver, error.traceId, (t) => t.spans.some((s) => s.serviceName === "orchestrator-health" && s.kind === "server"));
      expect(tree.roots.map((s) => `${s.serviceName}: ${s.name}`)).toEqual(["orchestrator-cli: instances register"]);
      expect(tree.roots[0]!.statusCode).toBe(2); // error
      expect(tree.find("server span", (s) => s.kind === "server").attributes["rpc.grpc.status_code"]).toBe(6); // ALREADY_EXISTS
    },
  },
  {
    name: "a demo instance exports its spans: its registration is one trace, worker → health service → Postgres",
    serve: [["health"]],
    async run({ receiver, addresses }) {
      const worker = startDemoInstance(receiver, addresses.health!, "traced-w");
      try {
        const register = await waitFor("the demo instance's RegisterInstance span", () =>
          receiver.spans().find((s) => s.serviceName === "demo-traced-w" && s.kind === "client" && s.name.endsWith("HealthService/RegisterInstance")),
        { timeoutMs: 60_000, intervalMs: 100 });
        const tree = await completeTrace(receiver, register.traceId, (t) => t.spans.some((s) => s.name === QUERY_SPAN_NAME));
        expect(tree.services).toEqual(["demo-traced-w", "orchestrator-health"]);
        expect(tree.roots).toEqual([register]);
      } finally {
        expect(await worker.stop()).toBe(0); // it flushes its spans on the way out
      }
    },
  },
  {
    name: "CLI `route` → router → worker, and `sessions send` with the router's Postgres queries: one trace each",
    serve: [["health"], ["router"]],
    async run({ receiver, addresses, cli }) {
      const worker = startDemoInstance(receiver, addresses.health!, "traced-r");
      try {
        const router = createServiceClient(RouterService, { address: addresses.router!, apiKey: API_KEY, timeoutMs: 5000 });
        await waitFor("the router to route to traced-r", async () => (await router.route({ instances: ["traced-r"], payload: fromJson(ValueSchema, "warm-up") })).instance === "traced-r", { timeoutMs: 30_000, intervalMs: 200 });

        const routed = await cli(addresses.router!, "--json", "route", "--instances", "traced-r", "--payload", '{"traced":true}');
        expect(routed.code, routed.stderr).toBe(0);
        const { traceId } = JSON.parse(routed.stdout) as { traceId: string };
        const route = await completeTrace(receiver, traceId, (t) => t.spans.some((s) => s.serviceName === "demo-traced-r" && s.kind === "server"));
        expect(route.services).toEqual(expect.arrayContaining(["demo-traced-r", "orchestrator-cli", "orchestrator-router"]));
        expect(route.roots.map((r) => `${r.serviceName}: ${r.name}`)).toEqual(["orchestrator-cli: route"]);
        const routeServer = route.find("router Route server span", (s) => s.serviceName === "orchestrator-router" && s.kind === "server" && s.name.endsWith("RouterService/Route"));
        const execute = route.find("worker Execute server span", (s) => s.serviceName === "demo-traced-r" && s.kind === "server" && s.name.endsWith("WorkerService/Execute"));
        expect(route.descendsFrom(execute, routeServer)).toBe(true);

        const spawned = await cli(addresses.router!, "--json", "sessions", "spawn", "--id", "traced-s", "--instances", "traced-r");
        expect(spawned.code, spawned.stderr).toBe(0);
        const before = receiver.spans().length;
        const sent = await cli(addresses.router!, "--json", "sessions", "send", "--id", "traced-s", "--data", '{"k":1}');
        expect(sent.code, sent.stderr).toBe(0);
        const root = receiver.spans().slice(before).find((s) => s.serviceName === "orchestrator-cli" && !s.parentSpanId);
        expect(root?.name).toBe("sessions send");
        const send = await completeTrace(receiver, root!.traceId, (t) => t.spans.some((s) => s.serviceName === "demo-traced-r" && s.kind === "server"));
        const sendServer = send.find("router SendSession server span", (s) => s.serviceName === "orchestrator-router" && s.kind === "server" && s.name.endsWith("RouterService/SendSession"));
        const queries = send.spans.filter((s) => s.name === QUERY_SPAN_NAME);
        expect(queries.length).toBeGreaterThan(0);
        for (const q of queries) expect(send.descendsFrom(q, sendServer), `${q.serviceName}: ${q.attributes["db.query.text"]}`).toBe(true);
        expect(send.descendsFrom(send.find("worker Execute", (s) => s.serviceName === "demo-traced-r" && s.kind === "server"), sendServer)).toBe(true);
      } finally {
        expect(await worker.stop()).toBe(0);
      }
    },
  },
  {
    // A dispatch to an agent: the scheduler records the dispatch span's traceparent on the dispatch context
    // (and in the message payload); the agent's `worker_done`, read from the mailbox by the scheduler, is
    // processed in a span continuing that trace, so the dispatch and its answer show as one trace.
    name: "scheduler dispatch → agent's `worker_done`: tied into one trace",
    serve: [["health"], ["router"], ["mailbox"], ["scheduler"]],
    async run({ receiver, addresses, cli }) {
      const created = await cli(addresses.scheduler!, "--json", "task", "create", "--id", "traced-t", "--spec", "write the docs");
      expect(created.code, created.stderr).toBe(0);
      const dispatched = await cli(addresses.scheduler!, "--json", "dispatch", "--task", "traced-t", "--to", "traced-agent", "--inject");
      expect(dispatched.code, dispatched.stderr).toBe(0);
      const { dispatch } = JSON.parse(dispatched.stdout) as { dispatch: { id: string; traceId: string } };
      expect(dispatch.traceId).toMatch(/^[0-9a-f]{32}$/);
      // The agent answers as its preamble teaches: a worker_done message to the scheduler's handle.
      const payload = JSON.stringify({ task: "traced-t", dispatch: dispatch.id, result: { ok: true } });
      const done = await cli(addresses.mailbox!, "--json", "send", "--from", "traced-agent", "--to", "scheduler", "--type", "worker_done", "--thread-id", dispatch.id, "--subject", "done: traced-t", "--payload", payload);
      expect(done.code, done.stderr).toBe(0);
      const tree = await completeTrace(
        receiver,
        dispatch.traceId,
        (t) => t.spans.some((s) => s.name === "scheduler.worker_done") && t.spans.some((s) => s.serviceName === "orchestrator-mailbox" && s.kind === "server"),
      );
      expect(tree.roots.map((r) => `${r.serviceName}: ${r.name}`)).toEqual(["orchestrator-cli: dispatch"]);
      const dispatchSpan = tree.find("the dispatch span", (s) => s.serviceName === "orchestrator-scheduler" && s.name === "scheduler.dispatch");
      const send = tree.find("mailbox Send server span", (s) => s.serviceName === "orchestrator-mailbox" && s.kind === "server" && s.name.endsWith("MailboxService/Send"));
      expect(tree.descendsFrom(send, dispatchSpan)).toBe(true);
      const report = tree.find("the worker_done span", (s) => s.serviceName === "orchestrator-scheduler" && s.name === "scheduler.worker_done");
      expect(tree.descendsFrom(report, dispatchSpan)).toBe(true);
      const settled = tree.spans.filter((s) => s.name === QUERY_SPAN_NAME && tree.descendsFrom(s, report));
      expect(settled.some((q) => /update dispatch_contexts/i.test(String(q.attributes["db.query.text"])))).toBe(true);
      const task = await cli(addresses.scheduler!, "--json", "task", "get", "traced-t");
      expect((JSON.parse(task.stdout) as { task: { status: string } }).task.status).toBe("completed");
    },
  },
];

/** A `demo-instance` process registered with `healthAddr`, exporting its spans (service demo-<name>) to the receiver. */
function startDemoInstance(receiver: OtlpReceiver, healthAddr: string, name: string): { stop(): Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, "demo-instance", "--name", name, "--pool", "traced"], {
    env: { PATH: process.env.PATH, ORCHESTRATOR_HEALTH_ADDR: healthAddr, ORCHESTRATOR_API_KEY: API_KEY, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: "100", LOG_LEVEL: "warn" },
    stdio: "ignore",
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Waits until the trace holds `done` and no span whose parent is missing, then returns it. */
async function completeTrace(receiver: OtlpReceiver, traceId: string, done: (tree: TraceTree) => boolean): Promise<TraceTree> {
  let last: TraceTree | undefined;
  try {
    return await waitFor(`trace ${traceId} to arrive whole`, () => {
      last = traceTree(receiver.trace(traceId));
      return done(last) && last.orphans.length === 0 && last.roots.length === 1 && last;
    }, { timeoutMs: 60_000, intervalMs: 100 });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${last?.render() ?? "(no spans)"}`);
  }
}

/**
 * One receiver, one database and one `serve` process per distinct entry,
 * shared by every case: a case starts the entries it needs that are not up
 * yet (all at once), so health is started once rather than once per case.
 */
let shared: Promise<Shared> | undefined;
const processes = new Map<string, { address: string; ready: Promise<void> }>();
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
}, 60_000);

for (const c of CASES) {
  const drive = c.run;
  if (!drive) {
    it.todo(c.name);
    continue;
  }
  it(c.name, async () => {
    const fixture = await fixtureFor(c.serve);
    await drive(fixture);
    expect(fixture.receiver.rejected()).toEqual([]);
  }, 180_000);
}

/** The shared receiver and CLI, with `serve` processes for `serve` (started when missing) SERVING. */
async function fixtureFor(serve: ReadonlyArray<readonly string[]>): Promise<TraceFixture> {
  shared ??= startShared();
  const { receiver, cli, env } = await shared;
  const addresses: Record<string, string> = {};
  // Ports first: a service's address is known to those started with it before it listens.
  const missing: Array<{ services: readonly string[]; port: number }> = [];
  for (const services of serve) {
    const running = processes.get(services.join(" "));
    const port = running ? Number(running.address.split(":")[1]) : await freePort();
    addresses[services[0]!] = `127.0.0.1:${port}`;
    if (!running) missing.push({ services, port });
  }
  for (const { services, port } of missing) {
    processes.set(services.join(" "), { address: addresses[services[0]!]!, ready: startServe(services, port, addresses, env) });
  }
  await Promise.all(serve.map((services) => processes.get(services.join(" "))!.ready));
  return { receiver, addresses, cli };
}

interface Shared extends Omit<TraceFixture, "addresses"> {
  /** The environment of every `serve` process: exporter, key, database. */
  readonly env: (services: readonly string[]) => NodeJS.ProcessEnv;
}

/** A receiver and a database (real Postgres with DATABASE_URL, else a PGlite data directory per process), all exporting spans. */
async function startShared(): Promise<Shared> {
  const receiver = await startOtlpReceiver();
  const database: TestDatabase | undefined = testDatabaseAdminUrl() ? await createTestDatabase({ migrate: false }) : undefined;
  const dataDir = database ? undefined : mkdtempSync(join(tmpdir(), "orch-trace-"));
  cleanups.push(async () => {
    await receiver.close();
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  const env = (services: readonly string[]): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    ORCHESTRATOR_API_KEY: API_KEY,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_BSP_SCHEDULE_DELAY: "100",
    LOG_LEVEL: "warn",
    ...(database ? { DATABASE_URL: database.url! } : { ORCHESTRATOR_DATA_DIR: join(dataDir!, services.join("+")) }),
  });
  const cli = (addr: string, ...args: string[]) =>
    run(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, ORCHESTRATOR_ADDR: addr, ORCHESTRATOR_API_KEY: API_KEY, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  return { receiver, cli, env };
}

/** Starts `orchestrator serve ...services` on `port`; resolves once it is SERVING (it opens its database and migrates first). */
async function startServe(services: readonly string[], port: number, addresses: Readonly<Record<string, string>>, env: Shared["env"]): Promise<void> {
  const child = spawn(process.execPath, [BIN, "serve", ...services], {
    env: {
      ...env(services),
      ORCHESTRATOR_PORT: String(port),
      ORCHESTRATOR_HEALTH_ADDR: addresses.health ?? `127.0.0.1:${port}`,
      ...(addresses.router ? { ORCHESTRATOR_ROUTER_ADDR: addresses.router } : {}),
      ...(addresses.mailbox ? { ORCHESTRATOR_MAILBOX_ADDR: addresses.mailbox } : {}),
    },
    stdio: "ignore",
  });
  // Stopped before the receiver and the database (cleanups run in reverse).
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  });
  const health = createClient(grpcHealth.Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }));
  await waitFor(
    `serve ${services.join(" ")} to be SERVING`,
    async () => {
      if (child.exitCode !== null) throw new Error(`serve ${services.join(" ")} exited with ${child.exitCode}`);
      return (await health.check({ service: "" })).status === grpcHealth.HealthCheckResponse_ServingStatus.SERVING;
    },
    { timeoutMs: 120_000, intervalMs: 100 },
  );
}
