import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { HealthService, ResultStatus, RouterService } from "@orchestrator/contracts";
import type { RouterModule } from "@orchestrator/router";
import { createServiceClient } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoInstances, KILL_TEST_PROBE_ENV, type DemoInstances } from "../support/demo-instances.js";
import { runOrchestrator } from "../support/run-orchestrator.js";
import { startStack, type Stack } from "../support/start-stack.js";
import { waitForRouterView } from "../support/wait-router-view.js";

/** Fanout to demo instances A–H running as processes, with the real health service. */
const EIGHT = ["A", "B", "C", "D", "E", "F", "G", "H"];
let stack: Stack;
let demos: DemoInstances;
const router = () => createServiceClient(RouterService, { address: stack.address, timeoutMs: 30_000 });
const value = (json: JsonValue) => fromJson(ValueSchema, json);

/** What an instance's demo handler has counted (executed, cancelled, failed), asked through the router. */
async function stats(name: string): Promise<{ cancelled: number; executed: number }> {
  const res = await router().route({ instances: [name], payload: value({ demo: { stats: true } }), fallback: "none" });
  return toJson(ValueSchema, res.result!) as { cancelled: number; executed: number };
}

beforeAll(async () => {
  stack = await startStack({ services: ["health", "router"], env: KILL_TEST_PROBE_ENV });
  demos = demoInstances(stack.address, EIGHT);
  await demos.waitHealthy(EIGHT);
  await waitForRouterView(stack, EIGHT);
}, 200_000);
afterAll(async () => {
  await demos?.close();
  await stack?.close();
});

describe("Fanout to A–H", { timeout: 160_000 }, () => {
  it("aggregate all through the CLI: every instance answers", async () => {
    const run = await runOrchestrator(stack.address, "--json", "fanout", "--targets", "A-H", "--aggregate", "all", "--timeout", "10s");
    expect(run.code).toBe(0);
    const res = JSON.parse(run.stdout) as { results: Array<{ instance: string; status: string }>; summary: { satisfied: boolean; succeeded: number } };
    expect(res.results.map((r) => [r.instance, r.status])).toEqual(EIGHT.map((n) => [n, "RESULT_STATUS_OK"]));
    expect(res.summary).toMatchObject({ satisfied: true, succeeded: 8 });
  });

  it("first: the first success wins and the other instances see their calls cancelled", async () => {
    const before = await Promise.all(["B", "C", "D"].map(stats));
    const res = await router().fanout({
      targets: ["A-D"],
      payload: value({ demo: { delayMs: 60_000 } }),
      payloads: { A: value({ quick: true }) },
      aggregate: "first",
      timeout: { seconds: 20n },
    });
    expect(res.summary).toMatchObject({ winner: "A", satisfied: true });
    expect(res.results.slice(1).map((r) => r.status)).toEqual([ResultStatus.CANCELLED, ResultStatus.CANCELLED, ResultStatus.CANCELLED]);
    const after = await Promise.all(["B", "C", "D"].map(stats));
    expect(after.map((s, i) => s.cancelled - before[i]!.cancelled)).toEqual([1, 1, 1]);
  });

  it("quorum: N successes, then the remaining calls are cancelled on their instances", async () => {
    const before = await Promise.all(["E", "F"].map(stats));
    const slow = value({ demo: { delayMs: 60_000 } });
    const res = await router().fanout({ targets: ["C-F"], payload: value("fast"), payloads: { E: slow, F: slow }, aggregate: "quorum", quorum: 2 });
    expect(res.summary).toMatchObject({ satisfied: true, succeeded: 2 });
    expect(res.results.map((r) => [r.instance, r.status])).toEqual([
      ["C", ResultStatus.OK],
      ["D", ResultStatus.OK],
      ["E", ResultStatus.CANCELLED],
      ["F", ResultStatus.CANCELLED],
    ]);
    const after = await Promise.all(["E", "F"].map(stats));
    expect(after.map((s, i) => s.cancelled - before[i]!.cancelled)).toEqual([1, 1]);
  });

  it("one hanging and one crashing, timeout 1 s: returns within the timeout plus a margin, six results and two per-instance errors", async () => {
    const before = await stats("G");
    const started = Date.now();
    const res = await router().fanout({
      targets: ["A-H"],
      payload: value({ data: "q" }),
      payloads: { G: value({ demo: { hang: true } }), H: value({ demo: { crash: true } }) },
      aggregate: "all",
      timeout: { seconds: 1n },
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.results.filter((r) => r.status === ResultStatus.OK).map((r) => r.instance)).toEqual(["A", "B", "C", "D", "E", "F"]);
    const g = res.results.find((r) => r.instance === "G")!;
    const h = res.results.find((r) => r.instance === "H")!;
    expect([g.status, g.code]).toEqual([ResultStatus.TIMEOUT, "DEADLINE_EXCEEDED"]);
    expect([h.status, h.code]).toEqual([ResultStatus.ERROR, "UNAVAILABLE"]);
    expect(res.summary).toMatchObject({ timedOut: true, satisfied: false, succeeded: 6, failed: 1 });
    expect((await stats("G")).cancelled - before.cancelled).toBe(1);
  });

  it("an instance the health service reports down is answered at once as instance_down, without a call", async () => {
    const health = createServiceClient(HealthService, { address: stack.address });
    await waitFor("H (crashed) down", async () => (await health.checkHealth({ instances: ["H"] })).statuses.H === "down", { timeoutMs: 60_000 });
    await waitFor("the router's view sees H down", () => (stack.plane.modules.get("router") as RouterModule).view.get("H")?.health === "down");
    const res = await router().fanout({ targets: ["A", "H"], payload: value(1), timeout: { seconds: 5n } });
    const h = res.results.find((r) => r.instance === "H")!;
    expect(h).toMatchObject({ status: ResultStatus.ERROR, code: "UNAVAILABLE", reason: "instance_down", attempts: [] });
  });
});
