import { readFileSync } from "node:fs";
import http2 from "node:http2";
import { join } from "node:path";
import { testLogger } from "@orchestrator/testing";
import { HealthService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { createDemoHandler, startWorker, type RunningWorker } from "@orchestrator/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../support/start-stack.js";
import { waitForRouterView } from "../support/wait-router-view.js";


/**
 * Probing that a loaded 2-core machine (the whole suite, other agents) does
 * not turn into flapping: a stalled event loop can miss a few probes, while a
 * killed process still fails its probes at once (connection refused).
 */
const PROBE_ENV = { ORCHESTRATOR_PROBE_INTERVAL_MS: "250", ORCHESTRATOR_PROBE_TIMEOUT_MS: "5000", ORCHESTRATOR_PROBE_FAILURE_THRESHOLD: "3" };

/**
 * The seed's HTTP API (shared/seeds/001): its four paths exactly as written,
 * with and without a key, bad input, h2c, and the OpenAPI document, against
 * a control plane with API keys configured.
 */
const KEY = "rest-test-key";
const EIGHT = ["A", "B", "C", "D", "E", "F", "G", "H"];
const READ_MAX_BYTES = 64 * 1024;
let stack: Stack;
const workers: RunningWorker[] = [];

interface Answer {
  status: number;
  json: any;
  headers: Headers;
}

async function call(method: string, path: string, body?: unknown, key: string | null = KEY, raw?: string): Promise<Answer> {
  const res = await fetch(`http://${stack.address}${path}`, {
    method,
    headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...(body !== undefined || raw !== undefined ? { "content-type": "application/json" } : {}) },
    ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text === "" ? undefined : JSON.parse(text), headers: res.headers };
}

beforeAll(async () => {
  stack = await startStack({
    services: ["health", "router", "mailbox", "scheduler"],
    env: { ...PROBE_ENV, ORCHESTRATOR_API_KEY: KEY, ORCHESTRATOR_READ_MAX_BYTES: String(READ_MAX_BYTES) },
  });
  for (const name of EIGHT) {
    workers.push(await startWorker({ name, pool: "demo", controlPlane: stack.address, apiKey: KEY, handler: createDemoHandler({ instance: name }), logger: testLogger() }));
  }
  const health = createServiceClient(HealthService, { address: stack.address, apiKey: KEY, timeoutMs: 5000 });
  await waitFor("A-H healthy", async () => Object.values((await health.checkHealth({ instances: ["A-H"] })).statuses).filter((s) => s === "healthy").length === 8, {
    timeoutMs: 60_000,
    intervalMs: 100,
  });
  await waitForRouterView(stack, EIGHT);
}, 200_000);
afterAll(async () => {
  for (const w of workers) await w.close();
  await stack?.close();
});

describe("the seed's four paths, with the key", () => {
  it('POST /api/orchestrator/route {"instances": ["A","B"], "payload": {"data": "task"}}', async () => {
    const { status, json } = await call("POST", "/api/orchestrator/route", { instances: ["A", "B"], payload: { data: "task" } });
    expect(status).toBe(200);
    expect(["A", "B"]).toContain(json.instance);
    expect(json.result).toMatchObject({ echo: { data: "task" } });
    expect(json.attempts).toHaveLength(1);
  });

  it("POST /orchestrator/route, the path of the seed's requests snippet", async () => {
    const { status, json } = await call("POST", "/orchestrator/route", { instances: ["A"], payload: { data: "task" } });
    expect(status).toBe(200);
    expect(json).toMatchObject({ instance: "A", result: { echo: { data: "task" } } });
  });

  it('POST /api/orchestrator/fanout {"targets": ["A","C"], "aggregate": true} answers the aggregated JSON array', async () => {
    const { status, json } = await call("POST", "/api/orchestrator/fanout", { targets: ["A", "C"], aggregate: true });
    expect(status).toBe(200);
    expect(Array.isArray(json)).toBe(true);
    expect(json.map((r: { instance: string; status: string }) => [r.instance, r.status])).toEqual([
      ["A", "RESULT_STATUS_OK"],
      ["C", "RESULT_STATUS_OK"],
    ]);
    const first = await call("POST", "/api/orchestrator/fanout", { targets: ["A-H"], aggregate: "first" });
    expect(first.json.filter((r: { status: string }) => r.status === "RESULT_STATUS_OK").length).toBeGreaterThanOrEqual(1);
  });

  it('POST /api/orchestrator/sessions/spawn {"sessionId": "session1"} answers the session token', async () => {
    const { status, json } = await call("POST", "/api/orchestrator/sessions/spawn", { sessionId: "session1" });
    expect(status).toBe(200);
    expect(json.token).toMatch(/^ost_/);
    expect(json.session).toMatchObject({ sessionId: "session1", state: "SESSION_STATE_OPEN" });
    const sent = await call("POST", "/api/orchestrator/sessions/send", { token: json.token, data: { key: "value" } });
    expect(sent.json).toMatchObject({ sessionId: "session1", sequence: "1", result: { echo: { key: "value" } } });
    const got = await call("GET", "/api/orchestrator/sessions/session1?includeHistory=true");
    expect(got.json.history.map((h: { data: unknown }) => h.data)).toEqual([{ key: "value" }]);
    const closed = await call("POST", "/api/orchestrator/sessions/close", { sessionId: "session1" });
    expect(closed.json.session.state).toBe("SESSION_STATE_CLOSED");
  });

  it('GET /api/orchestrator/health?instances=A-H answers {"A": "healthy", ...}', async () => {
    const { status, json } = await call("GET", "/api/orchestrator/health?instances=A-H");
    expect(status).toBe(200);
    expect(json).toEqual(Object.fromEntries(EIGHT.map((n) => [n, "healthy"])));
  });
});

describe("without the key", () => {
  it.each([
    ["POST", "/api/orchestrator/route", { instances: ["A"], payload: { data: "task" } }],
    ["POST", "/api/orchestrator/fanout", { targets: ["A", "C"], aggregate: true }],
    ["POST", "/api/orchestrator/sessions/spawn", { sessionId: "no-key" }],
    ["GET", "/api/orchestrator/health?instances=A-H", undefined],
  ])("%s %s is 401 with a JSON error", async (method, path, body) => {
    const missing = await call(method, path, body, null);
    expect(missing.status).toBe(401);
    expect(missing.json).toMatchObject({ code: "unauthenticated", reason: "missing_api_key" });
    const wrong = await call(method, path, body, "not-the-key");
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ code: "unauthenticated", reason: "invalid_api_key" });
  });

  it("wrote nothing: the session spawned without a key does not exist", async () => {
    const { status, json } = await call("GET", "/api/orchestrator/sessions/no-key");
    expect(status).toBe(404);
    expect(json).toMatchObject({ code: "not_found" });
  });
});

describe("bad input is a 4xx JSON error naming the field, and writes nothing", () => {
  it("malformed JSON", async () => {
    const { status, json } = await call("POST", "/api/orchestrator/sessions/spawn", undefined, KEY, '{"sessionId": "bad-1",');
    expect(status).toBe(400);
    expect(json).toMatchObject({ code: "invalid_argument", reason: "malformed_json", field: "(body)" });
    expect((await call("GET", "/api/orchestrator/sessions/bad-1")).status).toBe(404);
  });

  it("a member of the wrong type", async () => {
    const { status, json } = await call("POST", "/api/orchestrator/sessions/spawn", { sessionId: "bad-2", ttl: 30 });
    expect(status).toBe(400);
    expect(json).toMatchObject({ code: "invalid_argument", field: "ttl", message: expect.stringContaining("duration") });
    const route = await call("POST", "/api/orchestrator/route", { instances: "A" });
    expect(route.json).toMatchObject({ code: "invalid_argument", field: "instances", message: expect.stringContaining('"A"') });
    expect((await call("GET", "/api/orchestrator/sessions/bad-2")).status).toBe(404);
  });

  it("an unknown member, and a rule of the proto", async () => {
    const unknown = await call("POST", "/api/orchestrator/route", { instance: ["A"] });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ code: "invalid_argument", field: "instance", message: expect.stringContaining("unknown field") });
    const empty = await call("POST", "/api/orchestrator/route", { instances: [] });
    expect(empty.status).toBe(400);
    expect(empty.json).toMatchObject({ code: "invalid_argument", field: "instances", violations: [expect.objectContaining({ field: "instances" })] });
    const aggregate = await call("POST", "/api/orchestrator/fanout", { targets: ["A"], aggregate: "sum" });
    expect(aggregate.json).toMatchObject({ code: "invalid_argument", field: "aggregate" });
  });

  it("an unknown selector", async () => {
    const { status, json } = await call("POST", "/api/orchestrator/sessions/spawn", { sessionId: "bad-3", instances: ["Z"] });
    expect(status).toBe(404);
    expect(json).toMatchObject({ code: "not_found", reason: "unknown_instance", field: expect.stringMatching(/^instances/) });
    expect((await call("GET", "/api/orchestrator/sessions/bad-3")).status).toBe(404);
    const health = await call("GET", "/api/orchestrator/health?instances=Z");
    expect(health).toMatchObject({ status: 404, json: { reason: "unknown_instance" } });
  });

  it("a body over the limit", async () => {
    const body = JSON.stringify({ to: "rest-limit", subject: "big", body: "x".repeat(READ_MAX_BYTES) });
    const { status, json } = await call("POST", "/api/orchestrator/mailbox/send", undefined, KEY, body);
    expect(status).toBe(413);
    expect(json).toMatchObject({ code: "resource_exhausted", reason: "body_too_large", field: "(body)" });
    const inbox = await call("GET", "/api/orchestrator/mailbox/rest-limit/inbox");
    expect(inbox.status).toBe(200);
    expect(inbox.json.messages ?? []).toEqual([]);
  });

  it("a bad query parameter, an unknown path, a wrong verb", async () => {
    const param = await call("GET", "/api/orchestrator/health?instance=A");
    expect(param).toMatchObject({ status: 400, json: { reason: "unknown_field", field: "instance" } });
    const bool = await call("GET", "/api/orchestrator/tasks?ready=maybe");
    expect(bool).toMatchObject({ status: 400, json: { field: "ready" } });
    expect(await call("GET", "/api/orchestrator/nowhere")).toMatchObject({ status: 404, json: { code: "not_found" } });
    const verb = await call("GET", "/api/orchestrator/route");
    expect(verb.status).toBe(405);
    expect(verb.headers.get("allow")).toBe("POST");
  });
});

describe("the rest of the API", () => {
  it("mailbox send, check and inbox; tasks; runs; gates; instances", async () => {
    const sent = await call("POST", "/api/orchestrator/mailbox/send", { to: "rest-bob", subject: "hello", type: "status", payload: '{"n":1}' });
    expect(sent.status).toBe(200);
    const checked = await call("POST", "/api/orchestrator/mailbox/rest-bob/check", { wait: true, timeoutMs: 5000, markRead: true });
    expect(checked.json.messages.map((m: { subject: string }) => m.subject)).toEqual(["hello"]);
    const inbox = await call("GET", "/api/orchestrator/mailbox/rest-bob/inbox?limit=5");
    expect(inbox.json.messages).toHaveLength(1);

    const task = await call("POST", "/api/orchestrator/tasks", { id: "rest-t1", spec: "do it" });
    expect(task.json.task).toMatchObject({ id: "rest-t1", status: "ready" });
    expect((await call("GET", "/api/orchestrator/tasks/rest-t1")).json.task.id).toBe("rest-t1");
    const listed = await call("GET", "/api/orchestrator/tasks?ready=true");
    expect(listed.json.tasks.map((t: { id: string }) => t.id)).toContain("rest-t1");
    expect((await call("GET", "/api/orchestrator/tasks/nope")).json).toMatchObject({ code: "not_found", reason: "unknown_task" });

    const run = await call("POST", "/api/orchestrator/runs", { spec: JSON.stringify({ tasks: [{ id: "r1", spec: "one", target: "A" }] }) });
    expect(run.status).toBe(200);
    const shown = await call("GET", `/api/orchestrator/runs/${run.json.run.id}`);
    expect(shown.json.run.id).toBe(run.json.run.id);

    const gate = await call("POST", "/api/orchestrator/gates/nope/resolve", { resolution: "yes" });
    expect(gate.json).toMatchObject({ code: "not_found", reason: "unknown_gate" });

    const instances = await call("GET", "/api/orchestrator/instances?selectors=A&selectors=B");
    expect(instances.json.instances.map((i: { name: string }) => i.name)).toEqual(["A", "B"]);
    expect((await call("GET", "/api/orchestrator/instances/C")).json.instance.name).toBe("C");
  });

  it("answers over h2c the same way", async () => {
    const session = http2.connect(`http://${stack.address}`);
    try {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = session.request({ ":method": "GET", ":path": "/api/orchestrator/health?instances=A-B", authorization: `Bearer ${KEY}` });
        let body = "";
        let status = 0;
        req.on("response", (h) => (status = Number(h[":status"])));
        req.setEncoding("utf8");
        req.on("data", (chunk: string) => (body += chunk));
        req.on("end", () => resolve({ status, body }));
        req.on("error", reject);
        req.end();
      });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ A: "healthy", B: "healthy" });
    } finally {
      session.close();
    }
  });

  it("serves the OpenAPI document checked in under docs/, without a key", async () => {
    const { status, json } = await call("GET", "/api/openapi.json", undefined, null);
    expect(status).toBe(200);
    const checkedIn = JSON.parse(readFileSync(join(import.meta.dirname, "../../docs/openapi.json"), "utf8"));
    expect(json).toEqual(checkedIn);
    expect(Object.keys(json.paths)).toEqual(expect.arrayContaining(["/api/orchestrator/route", "/api/orchestrator/fanout", "/api/orchestrator/sessions/spawn", "/api/orchestrator/health"]));
  });
});
