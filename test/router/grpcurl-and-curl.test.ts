import { testLogger } from "@orchestrator/testing";
import { createDemoHandler, startWorker, type RunningWorker } from "@orchestrator/worker";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { demoInstances, KILL_TEST_PROBE_ENV } from "../support/demo-instances.js";
import { grpcurl } from "../support/grpcurl.js";
import { startStack, type Stack } from "../support/start-stack.js";
import { waitForRouterView } from "../support/wait-router-view.js";

/**
 * The JSON bodies of the router issue, sent as curl sends them (Connect
 * JSON over HTTP/1.1) and as grpcurl sends them (reflection, then gRPC).
 */
const EIGHT = ["A", "B", "C", "D", "E", "F", "G", "H"];
let stack: Stack;
const workers: RunningWorker[] = [];
const health = () => demoInstances(stack.address, []);

/** `curl -s -H 'content-type: application/json' -d BODY http://ADDRESS/SERVICE/METHOD` */
async function curl(method: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`http://${stack.address}/orchestrator.router.v1.RouterService/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  // Probe deadlines a loaded machine meets, so no instance flaps to degraded mid-test.
  stack = await startStack({ services: ["health", "router"], env: KILL_TEST_PROBE_ENV });
  for (const name of EIGHT) {
    workers.push(await startWorker({ name, pool: "demo", controlPlane: stack.address, handler: createDemoHandler({ instance: name }), logger: testLogger() }));
  }
  await health().waitHealthy(EIGHT);
  await waitForRouterView(stack, EIGHT);
}, 200_000);
// Every test needs all eight healthy in the router's view: wait for that state, never for time.
beforeEach(async () => {
  await health().waitHealthy(EIGHT, 60_000);
  await waitForRouterView(stack, EIGHT);
}, 90_000);
afterAll(async () => {
  for (const w of workers) await w.close();
  await stack?.close();
});

describe("curl (Connect JSON)", () => {
  it('Route {"instances": ["A","B"], "payload": {"data": "task"}}', async () => {
    const { status, json } = await curl("Route", { instances: ["A", "B"], payload: { data: "task" } });
    expect(status).toBe(200);
    expect(["A", "B"]).toContain(json.instance);
    expect(json.result).toMatchObject({ echo: { data: "task" } });
    expect(json.attempts).toEqual([{ number: 1, instance: json.instance, code: "OK", latency: expect.stringMatching(/^\d+(\.\d+)?s$/) }]);
  });

  it('Fanout {"targets": ["A-H"], "aggregate": "all", "timeout": "10s"}', async () => {
    const { status, json } = await curl("Fanout", { targets: ["A-H"], aggregate: "all", timeout: "10s" });
    expect(status).toBe(200);
    const results = json.results as Array<{ instance: string; status: string; result: { echo: unknown } }>;
    expect(results.map((r) => [r.instance, r.status])).toEqual(EIGHT.map((n) => [n, "RESULT_STATUS_OK"]));
    expect(results[0]!.result.echo).toBeNull();
    expect(json.summary).toMatchObject({ aggregate: "all", satisfied: true, succeeded: 8 });
  });

  it('SpawnSession {"sessionId": "session1"}, then SendSession, GetSession (GET), ListSessions and CloseSession', async () => {
    const spawned = await curl("SpawnSession", { sessionId: "session1" });
    expect(spawned.status).toBe(200);
    expect(spawned.json.token).toMatch(/^ost_/);
    expect(spawned.json.session).toMatchObject({ sessionId: "session1", state: "SESSION_STATE_OPEN" });

    const sent = await curl("SendSession", { sessionId: "session1", data: { key: "value" } });
    expect(sent.json).toMatchObject({ sessionId: "session1", sequence: "1", result: { echo: { key: "value" }, sequence: 1 } });
    const byToken = await curl("SendSession", { token: spawned.json.token, data: "second" });
    expect(byToken.json).toMatchObject({ sequence: "2" });

    const message = encodeURIComponent(JSON.stringify({ sessionId: "session1", includeHistory: true }));
    const got = await fetch(`http://${stack.address}/orchestrator.router.v1.RouterService/GetSession?encoding=json&message=${message}`);
    expect(got.status).toBe(200);
    const gotJson = (await got.json()) as { session: { lastSequence: string }; history: Array<{ sequence: string; data: unknown }> };
    expect(gotJson.session.lastSequence).toBe("2");
    expect(gotJson.history.map((h) => [h.sequence, h.data])).toEqual([
      ["1", { key: "value" }],
      ["2", "second"],
    ]);

    const listed = await curl("ListSessions", {});
    expect((listed.json.sessions as Array<{ sessionId: string }>).map((s) => s.sessionId)).toContain("session1");
    const closed = await curl("CloseSession", { sessionId: "session1" });
    expect(closed.json.session).toMatchObject({ state: "SESSION_STATE_CLOSED" });
  });

  it("bad input is a 400 with the Connect error naming the field", async () => {
    const bad = await curl("Fanout", { targets: ["A-H"], aggregate: "sum" });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: "invalid_argument", message: expect.stringContaining("aggregate") });
    const negative = await curl("Route", { instances: ["A"], payload: 1, timeout: "-1s" });
    expect(negative.json).toMatchObject({ code: "invalid_argument", message: expect.stringContaining("timeout") });
    const quorum = await curl("Fanout", { targets: ["A-C"], aggregate: "quorum", quorum: 4 });
    expect(quorum.json).toMatchObject({ code: "invalid_argument", message: expect.stringContaining("quorum: must be at most the number of targets (3)") });
  });
});

describe("grpcurl (reflection, then gRPC)", () => {
  it("Route, Fanout and the session RPCs with the issue's JSON bodies", async () => {
    const route = (await grpcurl(stack.address, "orchestrator.router.v1.RouterService/Route", { instances: ["A", "B"], payload: { data: "task" } })) as Record<string, unknown>;
    expect(route.result).toMatchObject({ echo: { data: "task" } });

    const fanout = (await grpcurl(stack.address, "orchestrator.router.v1.RouterService/Fanout", { targets: ["A-H"], aggregate: "all", timeout: "10s" })) as {
      summary: { succeeded: number };
    };
    expect(fanout.summary.succeeded).toBe(8);

    const spawned = (await grpcurl(stack.address, "orchestrator.router.v1.RouterService/SpawnSession", { sessionId: "grpcurl-1" })) as { token: string };
    expect(spawned.token).toMatch(/^ost_/);
    const sent = (await grpcurl(stack.address, "orchestrator.router.v1.RouterService/SendSession", { sessionId: "grpcurl-1", data: { key: "value" } })) as Record<string, unknown>;
    expect(sent).toMatchObject({ sequence: "1" });
    const got = (await grpcurl(stack.address, "orchestrator.router.v1.RouterService/GetSession", { sessionId: "grpcurl-1" })) as { session: Record<string, unknown> };
    expect(got.session).toMatchObject({ sessionId: "grpcurl-1", lastSequence: "1" });
    const closed = (await grpcurl(stack.address, "orchestrator.router.v1.RouterService/CloseSession", { sessionId: "grpcurl-1" })) as { session: Record<string, unknown> };
    expect(closed.session).toMatchObject({ state: "SESSION_STATE_CLOSED" });
  });

  it("a bad body fails with INVALID_ARGUMENT naming the field", async () => {
    await expect(grpcurl(stack.address, "orchestrator.router.v1.RouterService/Fanout", { targets: ["A-H"], aggregate: "sum" })).rejects.toMatchObject({
      code: 3,
      details: expect.stringContaining("aggregate"),
    });
  });
});
