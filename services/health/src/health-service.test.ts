import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { grpcHealth, HealthService, HealthState } from "@orchestrator/contracts";
import { createServiceClient, errorReason, fieldViolations } from "@orchestrator/rpc";
import { testLogger, waitFor } from "@orchestrator/testing";
import { createDemoHandler, startWorker, type RunningWorker } from "@orchestrator/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHealthServer, type HealthServerFixture } from "./test-support.js";

let fx: HealthServerFixture;
const workers = new Map<string, RunningWorker>();

async function startDemo(name: string): Promise<RunningWorker> {
  const worker = await startWorker({
    name,
    pool: "demo",
    controlPlane: fx.address,
    heartbeatIntervalMs: 200,
    handler: createDemoHandler({ instance: name }),
    logger: testLogger(),
  });
  workers.set(name, worker);
  return worker;
}

const client = () => createServiceClient(HealthService, { address: fx.address, timeoutMs: 10_000 });

beforeAll(async () => {
  fx = await startHealthServer();
  for (const n of ["A", "B", "C"]) await startDemo(n);
});
afterAll(async () => {
  for (const w of workers.values()) await w.close();
  await fx.close();
});

describe("health service over RPC", () => {
  it("probes registered workers to healthy and answers the status map", async () => {
    const statuses = await waitFor("A-C healthy", async () => {
      const res = await client().checkHealth({ instances: ["A-C"] });
      return Object.values(res.statuses).every((s) => s === "healthy") ? res.statuses : undefined;
    });
    expect(statuses).toEqual({ A: "healthy", B: "healthy", C: "healthy" });
  });

  it("reports a stopped worker down, drops it from @healthy, and recovers when it returns", async () => {
    await waitFor("B healthy", async () => (await client().checkHealth({ instances: ["B"] })).statuses.B === "healthy");
    const watch = client().watchHealth({ instances: ["B"] }, { timeoutMs: 20_000 });
    const seen: string[] = [];
    const watching = (async () => {
      for await (const ev of watch) {
        seen.push(`${ev.snapshot ? "snapshot" : "change"}:${HealthState[ev.instance!.health]}`);
        if (!ev.snapshot && ev.instance!.health === HealthState.DOWN) return;
      }
    })();
    // Stop B only once the stream has shown it healthy (its snapshot, or a change after a probe missed under load).
    await waitFor("B healthy on the watch", () => seen.some((s) => s.endsWith(":HEALTHY")));
    await workers.get("B")!.close();
    await watching;
    expect(seen[0]!.startsWith("snapshot:")).toBe(true);
    expect(seen.at(-1)).toBe("change:DOWN");

    const healthy = await client().listInstances({ selectors: ["@healthy"] });
    expect(healthy.instances.map((i) => i.name)).not.toContain("B");

    await startDemo("B");
    await waitFor("B healthy again", async () => (await client().checkHealth({ instances: ["B"] })).statuses.B === "healthy");
    const history = await client().getHealthHistory({ name: "B", limit: 20 });
    const path = history.transitions.map((t) => HealthState[t.to]);
    expect(path).toContain("DOWN");
    expect(path[0]).toBe("HEALTHY");
  });

  it("answers grpc.health.v1 itself without a key", async () => {
    const health = createClient(grpcHealth.Health, createGrpcTransport({ baseUrl: `http://${fx.address}` }));
    const res = await health.check({ service: HealthService.typeName });
    expect(res.status).toBe(grpcHealth.HealthCheckResponse_ServingStatus.SERVING);
  });

  describe("bad input gets a clear error naming the field and writes nothing", () => {
    const cases: Array<[string, () => Promise<unknown>, Code, string]> = [
      ["empty name", () => client().registerInstance({ name: "", address: "127.0.0.1:1" }), Code.InvalidArgument, "name"],
      ["oversized name", () => client().registerInstance({ name: "n".repeat(64), address: "127.0.0.1:1" }), Code.InvalidArgument, "name"],
      ["name ending in a dash", () => client().registerInstance({ name: "A-", address: "127.0.0.1:1" }), Code.InvalidArgument, "name"],
      ["unparseable address", () => client().registerInstance({ name: "Q", address: "nowhere" }), Code.InvalidArgument, "address"],
      ["duplicate registration", () => client().registerInstance({ name: "A", address: "127.0.0.1:1" }), Code.AlreadyExists, "name"],
      ["selector A-", () => client().checkHealth({ instances: ["A-"] }), Code.InvalidArgument, "instances"],
      ["selector kite-5..1", () => client().checkHealth({ instances: ["kite-5..1"] }), Code.InvalidArgument, "instances"],
      ["unknown group", () => client().listInstances({ selectors: ["@nope"] }), Code.InvalidArgument, "selectors"],
      ["unknown instance", () => client().getInstance({ name: "nobody" }), Code.NotFound, ""],
    ];
    it.each(cases)("%s", async (_label, call, code, field) => {
      const before = (await client().listInstances({})).instances.map((i) => `${i.name}@${i.address}`);
      const err = await call().then(
        () => undefined,
        (e: unknown) => ConnectError.from(e),
      );
      expect(err?.code).toBe(code);
      if (field) {
        const named = fieldViolations(err).map((v) => v.field).join(",") + " " + err!.rawMessage;
        expect(named).toContain(field);
      } else {
        expect(errorReason(err)).toBe("unknown_instance");
      }
      const after = (await client().listInstances({})).instances.map((i) => `${i.name}@${i.address}`);
      expect(after).toEqual(before);
    });
  });
});
