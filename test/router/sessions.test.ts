import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { RouterService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoInstances, KILL_TEST_PROBE_ENV, type DemoInstances } from "../support/demo-instances.js";
import { runOrchestrator } from "../support/run-orchestrator.js";
import { startStack, type Stack } from "../support/start-stack.js";
import { waitForRouterView } from "../support/wait-router-view.js";

/** Sessions against demo instances running as processes: the pinned one is killed for real. */
let stack: Stack;
let demos: DemoInstances;
const router = () => createServiceClient(RouterService, { address: stack.address, timeoutMs: 30_000 });
const value = (json: JsonValue) => fromJson(ValueSchema, json);

beforeAll(async () => {
  stack = await startStack({ services: ["health", "router"], env: KILL_TEST_PROBE_ENV });
  demos = demoInstances(stack.address, ["S1", "S2"], "sess");
  await demos.waitHealthy(["S1", "S2"]);
  await waitForRouterView(stack, ["S1", "S2"]);
}, 200_000);
afterAll(async () => {
  await demos?.close();
  await stack?.close();
});

describe("sessions with real instances", { timeout: 160_000 }, () => {
  it("spawn and send through the CLI (sessions_spawn / sessions_send aliases included)", async () => {
    const spawned = await runOrchestrator(stack.address, "--json", "sessions_spawn", "--id", "session1", "--pool", "sess");
    expect(spawned.code).toBe(0);
    const { session, token } = JSON.parse(spawned.stdout) as { session: { sessionId: string; instance: string }; token: string };
    expect(session.sessionId).toBe("session1");
    expect(token).toMatch(/^ost_/);
    const sent = await runOrchestrator(stack.address, "--json", "sessions", "send", "--id", "session1", "--data", '{"key":"value"}');
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ sessionId: "session1", sequence: "1", instance: session.instance, result: { echo: { key: "value" }, sequence: 1 } });
    const again = await runOrchestrator(stack.address, "--json", "sessions_send", "--id", "session1", "--data", '"two"');
    expect(JSON.parse(again.stdout)).toMatchObject({ sequence: "2" });
    const unknown = await runOrchestrator(stack.address, "sessions", "send", "--id", "nope", "--data", "1");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("NOT_FOUND");
    expect(unknown.stderr).toContain('session_id: no session "nope"');
  });

  it("kill the pinned instance: the next send lands on another instance of the pool, which receives the history", async () => {
    await router().spawnSession({ sessionId: "pinned", instances: ["S1"], pool: "sess" });
    for (let i = 1; i <= 3; i++) expect((await router().sendSession({ sessionId: "pinned", data: value({ step: i }) })).instance).toBe("S1");
    await demos.kill("S1");

    const moved = await router().sendSession({ sessionId: "pinned", data: value({ step: 4 }) });
    expect(moved).toMatchObject({ sequence: 4n, instance: "S2", failedOver: true });
    expect(toJson(ValueSchema, moved.result!)).toMatchObject({ instance: "S2", sequence: 4, history: [1, 2, 3] });

    const next = await router().sendSession({ sessionId: "pinned", data: value({ step: 5 }) });
    expect(next).toMatchObject({ sequence: 5n, instance: "S2", failedOver: false });
    expect(toJson(ValueSchema, next.result!)).not.toHaveProperty("history");
    const got = await router().getSession({ sessionId: "pinned", includeHistory: true });
    expect(got.session).toMatchObject({ instance: "S2", failovers: 1, lastSequence: 5n });
    expect(got.history.map((h) => [Number(h.sequence), h.instance])).toEqual([
      [1, "S1"],
      [2, "S1"],
      [3, "S1"],
      [4, "S2"],
      [5, "S2"],
    ]);
  });
});
