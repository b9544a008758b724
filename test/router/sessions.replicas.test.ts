import { fromJson, toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { RouterService, type ExecuteRequest } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { testLogger } from "@orchestrator/testing";
import { startWorker, type RunningWorker } from "@orchestrator/worker";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoInstances, KILL_TEST_PROBE_ENV, type DemoInstances } from "../support/demo-instances.js";
import { startStack, type Stack } from "../support/start-stack.js";
import { waitForRouterView } from "../support/wait-router-view.js";

/**
 * Two router replicas (two control planes on one Postgres; the second hosts
 * only the router and follows the first's health service) serving one
 * session. Real Postgres only: PGlite cannot be shared by two processes.
 */
describe.skipIf(!process.env.DATABASE_URL)("sessions through two router replicas", { timeout: 160_000 }, () => {
  let one: Stack;
  let two: Stack;
  let recorder: RunningWorker;
  let demos: DemoInstances;
  const seen: number[] = [];
  let inFlight = 0;
  let overlapped = false;
  const client = (s: Stack) => createServiceClient(RouterService, { address: s.address, timeoutMs: 60_000 });

  beforeAll(async () => {
    one = await startStack({ services: ["health", "router"], env: KILL_TEST_PROBE_ENV });
    two = await startStack({ services: ["router"], databaseUrl: one.databaseUrl!, env: { ...KILL_TEST_PROBE_ENV, ORCHESTRATOR_HEALTH_ADDR: one.address } });
    recorder = await startWorker({
      name: "REC",
      pool: "rec",
      controlPlane: one.address,
      logger: testLogger(),
      handler: async (req: ExecuteRequest) => {
        if (++inFlight > 1) overlapped = true;
        seen.push(Number(req.sequence));
        await sleep(1);
        inFlight--;
        return { sequence: Number(req.sequence) };
      },
    });
    demos = demoInstances(one.address, ["P1", "P2"], "rep");
    await demos.waitHealthy(["REC", "P1", "P2"]);
    for (const stack of [one, two]) await waitForRouterView(stack, ["REC", "P1", "P2"]);
  }, 200_000);
  afterAll(async () => {
    await demos?.close();
    await recorder?.close();
    await two?.close();
    await one?.close();
  });

  it("100 concurrent sends to one session through both replicas: sequences 1..100 without gap or repeat, seen by the instance in that order", async () => {
    await client(one).spawnSession({ sessionId: "hundred", instances: ["REC"] });
    const replicas = [client(one), client(two)];
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => replicas[i % 2]!.sendSession({ sessionId: "hundred", data: fromJson(ValueSchema, i) })));
    const expected = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(results.map((r) => Number(r.sequence)).sort((a, b) => a - b)).toEqual(expected);
    expect(seen).toEqual(expected);
    expect(overlapped).toBe(false);
  });

  it("the pinned instance killed: the next send, through the other replica, lands on another instance of the pool with the history", async () => {
    await client(one).spawnSession({ sessionId: "moving", instances: ["P1"], pool: "rep" });
    await client(one).sendSession({ sessionId: "moving", data: fromJson(ValueSchema, "a") });
    await client(two).sendSession({ sessionId: "moving", data: fromJson(ValueSchema, "b") });
    await demos.kill("P1");
    const moved = await client(two).sendSession({ sessionId: "moving", data: fromJson(ValueSchema, "c") });
    expect(moved).toMatchObject({ sequence: 3n, instance: "P2", failedOver: true });
    expect(toJson(ValueSchema, moved.result!)).toMatchObject({ history: [1, 2] });
    expect((await client(one).sendSession({ sessionId: "moving", data: fromJson(ValueSchema, "d") })).instance).toBe("P2");
  });
});
