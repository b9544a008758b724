import { spawn, type ChildProcess } from "node:child_process";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { grpcHealth } from "@orchestrator/contracts";
import { waitFor } from "@orchestrator/testing";
import { freePort } from "../support/free-port.js";
import { localCommand, readImageCommand } from "../support/image-command.js";
import { localizeEnv, type Localization } from "./localize-env.js";
import type { ServiceDeployment, Topology } from "./read-topology.js";
import { startServiceProxy, type ServiceProxy } from "./start-service-proxy.js";

/** What `serve` prints for a service whose factory has not landed yet. */
const NOT_AVAILABLE = /is not available in this release/;

/** One replica: a process running the image's command for its Deployment. */
export interface Replica {
  readonly component: string;
  readonly index: number;
  /** 127.0.0.1:port it listens on (the pod IP and port). */
  readonly address: string;
  readonly child: ChildProcess;
  /** True until the process exits. */
  alive(): boolean;
  /** The last lines it wrote to stdout and stderr, for failure messages. */
  output(): string;
  /** Lines it has logged so far at warn and at error level (or above), to bound log volume in an outage. */
  logCounts(): { warn: number; error: number };
}

/** The topology of the manifests running as local processes. */
export interface Fleet {
  readonly topology: Topology;
  /** The first key of ORCHESTRATOR_API_KEY from the manifests' Secret. */
  readonly apiKey: string;
  /** Services whose `serve` started, in manifest order. */
  readonly running: readonly string[];
  /** Services `serve` refused as not available in this release. */
  readonly unavailable: readonly string[];
  /** Where the component's Service answers (its local proxy). */
  address(component: string): string;
  /** The component's replicas that are still alive. */
  replicas(component: string): Replica[];
  /** SIGKILLs a replica and waits for it to exit; its Service stops sending it connections. */
  kill(replica: Replica): Promise<void>;
  /** Runs `fn` at close, before the replicas stop (workers, clients). */
  onClose(fn: () => Promise<void> | void): void;
  /** SIGTERM to every replica (graceful drain), SIGKILL after a while, proxies closed. */
  close(): Promise<void>;
}

export interface FleetOptions {
  readonly databaseUrl: string;
  readonly otlpEndpoint?: string;
  /** @default process.env.TEST_LOG_LEVEL ?? "warn" */
  readonly logLevel?: string;
  /** How long one replica may take to become ready. @default 45000 */
  readonly readyTimeoutMs?: number;
}

/**
 * Starts every service Deployment of `topology` as `replicas` local
 * processes, each the image's ENTRYPOINT with the Deployment's args and
 * its resolved environment (Service addresses mapped to local proxies,
 * DATABASE_URL to the test's database), and waits until each answers its
 * readiness probe (grpc.health.v1 Check on the probe's service name) with
 * SERVING. One replica of each service starts first; services whose `serve`
 * says they are not built yet are recorded as unavailable and get no more.
 */
export async function startFleet(topology: Topology, options: FleetOptions): Promise<Fleet> {
  const image = readImageCommand();
  const logLevel = options.logLevel ?? process.env.TEST_LOG_LEVEL ?? "warn";
  const replicas = new Map<string, Replica[]>(topology.services.map((s) => [s.component, []]));
  const ready = new Set<Replica>();
  const proxies = new Map<string, ServiceProxy>();
  const addresses = new Map<string, string>();
  for (const s of topology.services) {
    const proxy = await startServiceProxy(() => replicas.get(s.component)!.filter((r) => r.alive() && ready.has(r)).map((r) => r.address));
    proxies.set(s.component, proxy);
    addresses.set(`${s.serviceName}:${s.servicePort}`, proxy.address);
  }
  const closers: Array<() => Promise<void> | void> = [];
  const base: Omit<Localization, "port"> = {
    addresses,
    clusterServices: topology.clusterServices,
    namespace: topology.namespace,
    databaseUrl: options.databaseUrl,
    logLevel,
    ...(options.otlpEndpoint ? { otlpEndpoint: options.otlpEndpoint } : {}),
  };

  const startReplica = async (s: ServiceDeployment, index: number): Promise<Replica | "unavailable"> => {
    const port = await freePort();
    const env = localizeEnv(s.env, { ...base, port });
    const command = localCommand(image, s.args);
    const child = spawn(command.file, command.args, {
      env: { PATH: process.env.PATH, ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines: string[] = [];
    const counts = { warn: 0, error: 0 };
    const keep = (chunk: Buffer) => {
      const fresh = chunk.toString("utf8").split("\n").filter(Boolean);
      for (const line of fresh) {
        if (line.includes('"level":"warn"')) counts.warn++;
        else if (/"level":"(error|fatal)"/.test(line)) counts.error++;
      }
      lines.push(...fresh);
      lines.splice(0, Math.max(0, lines.length - 40));
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    let exited = false;
    // "close" comes after the output streams end, so output() is complete by then.
    const exit = new Promise<void>((resolve) => child.once("close", () => ((exited = true), resolve())));
    const replica: Replica = {
      component: s.component,
      index,
      address: `127.0.0.1:${port}`,
      child,
      alive: () => !exited,
      output: () => lines.join("\n"),
      logCounts: () => ({ ...counts }),
    };
    replicas.get(s.component)!.push(replica);
    const health = createClient(grpcHealth.Health, createGrpcTransport({ baseUrl: `http://${replica.address}` }));
    const outcome = await waitFor(
      `${s.component} replica ${index} to answer its readiness probe (${s.readinessService}) with SERVING`,
      async () => {
        if (exited) return "exited" as const;
        const { status } = await health.check({ service: s.readinessService }, { timeoutMs: 1000 });
        return status === grpcHealth.HealthCheckResponse_ServingStatus.SERVING && ("ready" as const);
      },
      { timeoutMs: options.readyTimeoutMs ?? 45_000, intervalMs: 100 },
    ).catch((error: Error) => {
      child.kill("SIGKILL");
      throw new Error(`${error.message}\n--- its output:\n${replica.output()}`);
    });
    if (outcome === "exited") await exit;
    if (outcome === "ready") {
      ready.add(replica);
      return replica;
    }
    if (NOT_AVAILABLE.test(replica.output())) return "unavailable";
    throw new Error(`${s.component} replica ${index} exited with ${child.exitCode ?? child.signalCode} before it was ready:\n${replica.output()}`);
  };

  const stopAll = async () => {
    for (const fn of closers.reverse()) await fn();
    const all = [...replicas.values()].flat().filter((r) => r.alive());
    await Promise.all(
      all.map(async (r) => {
        const exited = new Promise((resolve) => r.child.once("close", resolve));
        r.child.kill("SIGTERM");
        const timer = setTimeout(() => r.child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    await Promise.all([...proxies.values()].map((p) => p.close()));
  };

  const running: string[] = [];
  const unavailable: string[] = [];
  try {
    const first = await Promise.all(topology.services.map((s) => startReplica(s, 0)));
    topology.services.forEach((s, i) => (first[i] === "unavailable" ? unavailable : running).push(s.component));
    const rest = topology.services.filter((s) => running.includes(s.component)).flatMap((s) => Array.from({ length: s.replicas - 1 }, (_, i) => startReplica(s, i + 1)));
    for (const r of await Promise.all(rest)) if (r === "unavailable") throw new Error("a service became unavailable between replicas");
  } catch (error) {
    await stopAll();
    throw error;
  }

  const apiKey = (topology.services[0]?.env.ORCHESTRATOR_API_KEY ?? "").split(",")[0]!.trim();
  return {
    topology,
    apiKey,
    running,
    unavailable,
    address: (component) => {
      const proxy = proxies.get(component);
      if (!proxy) throw new Error(`no Service for ${component}`);
      return proxy.address;
    },
    replicas: (component) => (replicas.get(component) ?? []).filter((r) => r.alive() && ready.has(r)),
    async kill(replica) {
      if (!replica.alive()) return;
      const exited = new Promise((resolve) => replica.child.once("close", resolve));
      replica.child.kill("SIGKILL");
      await exited;
    },
    onClose: (fn) => void closers.push(fn),
    close: stopAll,
  };
}
