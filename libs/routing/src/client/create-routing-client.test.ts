import { fromJson, toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { allFiles } from "@orchestrator/contracts";
import { errorReason, startServer, type RunningServer } from "@orchestrator/rpc";
import { FakeHealthRegistry, testLogger, waitFor } from "@orchestrator/testing";
import { createDemoHandler, startWorker, type RunningWorker } from "@orchestrator/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRoutingClient } from "./create-routing-client.js";
import type { RoutingClient } from "./routing-client.js";

async function failure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("expected the call to fail");
}

describe("createRoutingClient", () => {
  const registry = new FakeHealthRegistry();
  let health: RunningServer;
  let workers: RunningWorker[];
  let client: RoutingClient;

  beforeAll(async () => {
    health = await startServer({ host: "127.0.0.1", port: 0, apiKeys: [], modules: [registry.module()], reflectionFiles: allFiles, logger: testLogger(), drainTimeoutMs: 100 });
    workers = [];
    for (const name of ["X1", "X2"]) {
      const worker = await startWorker({ name, handler: createDemoHandler({ instance: name }), logger: testLogger() });
      workers.push(worker);
      registry.set({ name, address: worker.address, pool: "x" });
    }
    client = createRoutingClient({ healthAddress: health.address, settings: { backoffInitialMs: 5, backoffMaxMs: 20 } });
    expect(await client.ready()).toBe(true);
  });
  afterAll(async () => {
    await client.close();
    await health.close();
    for (const worker of workers) await worker.close();
  });

  it("routes from the followed view: one WatchHealth stream, no lookup per call", async () => {
    const watches = registry.watchCalls;
    const lists = registry.listCalls;
    const served = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const res = await client.route({ instances: ["@pool:x"], payload: fromJson(ValueSchema, { i }) });
      expect(toJson(ValueSchema, res.result!)).toEqual({ instance: res.instance, echo: { i }, attempt: 1 });
      served.add(res.instance);
    }
    expect([...served].sort()).toEqual(["X1", "X2"]);
    expect([registry.watchCalls, registry.listCalls]).toEqual([watches, lists]);
  });

  it("answers errors as the router does: a ConnectError with the code and the ErrorInfo reason", async () => {
    const err = await failure(client.route({ instances: ["NOPE"] }));
    expect([err.code, errorReason(err)]).toEqual([Code.NotFound, "unknown_instance"]);
    const bad = await failure(client.fanout({ targets: ["X1"], aggregate: "quorum" }));
    expect([bad.code, errorReason(bad)]).toEqual([Code.InvalidArgument, "invalid_argument"]);
  });

  it("stops the call when the caller aborts it (CANCELLED)", async () => {
    const controller = new AbortController();
    const call = client.route({ instances: ["X1"], payload: fromJson(ValueSchema, { demo: { delayMs: 10_000 } }) }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(call)).code).toBe(Code.Canceled);
  });

  it("refuses session calls without a router address, naming why", async () => {
    const err = await failure(client.sendSession({ sessionId: "s", data: fromJson(ValueSchema, 1) }));
    expect(err.code).toBe(Code.FailedPrecondition);
    expect(err.rawMessage).toContain("routerAddress");
  });

  it("follows changes, and stops following once closed", async () => {
    const other = createRoutingClient({ healthAddress: health.address });
    await other.ready();
    registry.set({ name: "X3", address: "127.0.0.1:1", pool: "x", health: "down" });
    await waitFor("X3 seen", () => other.view.get("X3")?.health === "down");
    await other.close();
    registry.setHealth("X3", "healthy");
    await waitFor("the live client sees X3 healthy", () => client.view.get("X3")?.health === "healthy");
    expect(other.view.get("X3")?.health).toBe("down");
    registry.remove("X3");
  });
});
