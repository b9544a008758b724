import { Code, ConnectError } from "@connectrpc/connect";
import { allFiles, HealthService, RouterService } from "@orchestrator/contracts";
import { testLogger } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../running-server.js";
import type { ServiceModule } from "../service-module.js";
import { startServer } from "../start-server.js";

/** A real server on port 0 with canned handlers: what the transcoder adds, whatever the service. */
const KEY = "transcoder-key";
let server: RunningServer;
let statuses: Record<string, string> = {};
const routed: unknown[] = [];

const canned: ServiceModule = {
  serviceNames: [HealthService.typeName, RouterService.typeName],
  register(router) {
    router.service(HealthService, { checkHealth: async () => ({ statuses }) });
    router.service(RouterService, {
      route: async (req) => {
        if (req.instances.includes("boom")) throw new ConnectError("instance A is down", Code.Unavailable);
        routed.push(req.instances);
        return { instance: req.instances[0] ?? "" };
      },
    });
  },
};

const call = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`http://${server.address}${path}`, { ...init, headers: { authorization: `Bearer ${KEY}`, ...init.headers } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  server = await startServer({ host: "127.0.0.1", port: 0, apiKeys: [KEY], modules: [canned], reflectionFiles: allFiles, logger: testLogger(), readMaxBytes: 1024, drainTimeoutMs: 100 });
});
afterAll(async () => {
  await server?.close();
});

describe("createTranscoder (through startServer)", () => {
  it("answers response_body alone, and its JSON default when the field is unset", async () => {
    statuses = {};
    expect(await call("/api/orchestrator/health")).toEqual({ status: 200, json: {} });
    statuses = { A: "healthy", B: "down" };
    expect(await call("/api/orchestrator/health?instances=A-B")).toEqual({ status: 200, json: { A: "healthy", B: "down" } });
  });

  it("reads a JSON body whatever its content-type says (curl -d sends a form type)", async () => {
    const res = await call("/api/orchestrator/route", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: '{"instances":["A"]}' });
    expect(res).toEqual({ status: 200, json: { instance: "A" } });
  });

  it("runs the interceptors: auth, validation, error mapping", async () => {
    const anonymous = await fetch(`http://${server.address}/api/orchestrator/health`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: "unauthenticated", reason: "missing_api_key" });
    const before = routed.length;
    const invalid = await call("/api/orchestrator/route", { method: "POST", body: '{"instances":[""]}' });
    expect(invalid).toMatchObject({ status: 400, json: { code: "invalid_argument", field: "instances[0]" } });
    expect(routed.length).toBe(before);
    const down = await call("/api/orchestrator/route", { method: "POST", body: '{"instances":["boom"]}' });
    expect(down).toEqual({ status: 503, json: { code: "unavailable", message: "instance A is down" } });
  });

  it("refuses a body over readMaxBytes with 413, and stays up", async () => {
    const big = await call("/api/orchestrator/route", { method: "POST", body: JSON.stringify({ instances: ["A"], key: "k".repeat(2000) }) });
    expect(big).toMatchObject({ status: 413, json: { code: "resource_exhausted", reason: "body_too_large" } });
    expect((await call("/api/orchestrator/health")).status).toBe(200);
  });

  it("serves the OpenAPI document of the hosted services", async () => {
    const { json } = await call("/api/openapi.json");
    expect(Object.keys(json.paths as object)).toEqual(expect.arrayContaining(["/api/orchestrator/health", "/api/orchestrator/route"]));
  });
});
