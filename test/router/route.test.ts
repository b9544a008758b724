import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { RouterService } from "@orchestrator/contracts";
import { createServiceClient, errorReason } from "@orchestrator/rpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoInstances, KILL_TEST_PROBE_ENV, type DemoInstances } from "../support/demo-instances.js";
import { runOrchestrator } from "../support/run-orchestrator.js";
import { startStack, type Stack } from "../support/start-stack.js";
import { waitForRouterView } from "../support/wait-router-view.js";

/**
 * Route through the real control plane (health service probing demo
 * instances that run as processes, router following its watch stream),
 * killing instances for real.
 */
let stack: Stack;
let demos: DemoInstances;
const router = () => createServiceClient(RouterService, { address: stack.address, timeoutMs: 20_000 });
const value = (json: JsonValue) => fromJson(ValueSchema, json);

async function failure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  stack = await startStack({ services: ["health", "router"], env: KILL_TEST_PROBE_ENV });
  demos = demoInstances(stack.address, ["A", "B", "C", "D"]);
  await demos.waitHealthy(["A", "B", "C", "D"]);
  await waitForRouterView(stack, ["A", "B", "C", "D"]);
}, 200_000);
afterAll(async () => {
  await demos?.close();
  await stack?.close();
});

describe("Route against real instances", { timeout: 160_000 }, () => {
  it("routes {instances: [A, B], payload: {data: task}} to a healthy instance with its result, attempts and trace id", async () => {
    const res = await router().route({ instances: ["A", "B"], payload: value({ data: "task" }) });
    expect(["A", "B"]).toContain(res.instance);
    expect(toJson(ValueSchema, res.result!)).toMatchObject({ instance: res.instance, echo: { data: "task" } });
    expect(res.attempts.map((a) => a.code)).toEqual(["OK"]);
    expect(res.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("an instance that fails twice then succeeds: Route succeeds on attempt 3; with --retry 1 (two attempts) it fails with the last error", async () => {
    const ok = await runOrchestrator(stack.address, "--json", "route", "--instances", "C", "--payload", '{"demo":{"fail":2,"key":"cli-k1"}}');
    expect(ok.code).toBe(0);
    const res = JSON.parse(ok.stdout) as { instance: string; attempts: Array<{ number: number; code: string }> };
    expect(res.instance).toBe("C");
    expect(res.attempts.map((a) => [a.number, a.code])).toEqual([
      [1, "UNAVAILABLE"],
      [2, "UNAVAILABLE"],
      [3, "OK"],
    ]);

    const once = await runOrchestrator(stack.address, "route", "--instances", "C", "--payload", '{"demo":{"fail":2,"key":"cli-k2"}}', "--retry", "1");
    expect(once.code).toBe(1);
    expect(once.stderr).toContain("error: UNAVAILABLE");
    expect(once.stderr).toContain('demo failure for key "cli-k2"');
    expect(once.stderr).toContain("reason: all_attempts_failed");
    expect(once.stderr).toContain("attempt 1: C UNAVAILABLE");
    expect(once.stderr).toContain("attempt 2: C UNAVAILABLE");
    expect(once.stderr).not.toContain("attempt 3");
  });

  it("A killed while a call to it is in flight: the call still succeeds on another healthy instance, attempts listed", async () => {
    const call = router().route({ instances: ["A"], payload: value({ demo: { delayMs: 1500 } }) });
    await new Promise((r) => setTimeout(r, 300));
    await demos.kill("A");
    const res = await call;
    expect(res.instance).not.toBe("A");
    expect(res.attempts[0]).toMatchObject({ instance: "A", code: "UNAVAILABLE" });
    expect(res.attempts.at(-1)).toMatchObject({ instance: res.instance, code: "OK" });
  });

  it("A killed: without fallback the call fails fast with instance_down; with fallback it is served by another instance", async () => {
    await demos.kill("B");
    const started = Date.now();
    const err = await failure(router().route({ instances: ["B"], payload: value(1), fallback: "none" }));
    expect(err.code).toBe(Code.Unavailable);
    expect(errorReason(err)).toBe("instance_down");
    expect(Date.now() - started).toBeLessThan(2000);

    const res = await router().route({ instances: ["B"], payload: value(1) });
    expect(["C", "D"]).toContain(res.instance);

    const cli = await runOrchestrator(stack.address, "route", "--instances", "B", "--no-fallback", "--payload", "1");
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain("reason: instance_down");
  });

  it("routes to a restarted instance again once the health service reports it healthy", async () => {
    demos.start("B");
    await demos.waitHealthy(["B"]);
    await waitForRouterView(stack, ["B"]);
    const res = await router().route({ instances: ["B"], payload: value(1), fallback: "none" });
    expect(res.instance).toBe("B");
  });

  it("the CLI names a payload that is not JSON and a selector that matches nothing", async () => {
    const payload = await runOrchestrator(stack.address, "route", "--instances", "C", "--payload", "{not json");
    expect(payload.code).toBe(1);
    expect(payload.stderr).toContain("--payload: not valid JSON");
    const none = await runOrchestrator(stack.address, "route", "--instances", "zz-*", "--payload", "1");
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("NOT_FOUND");
    expect(none.stderr).toContain('instances[0]: selector "zz-*" matched no instance');
  });
});
