import { SchedulerService } from "@orchestrator/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceModule } from "./service-module.js";
import { startTestServer, type TestServer } from "./testing/start-test-server.js";

/** What a Connect JSON client gets back: HTTP status and the error body, details decoded by the test. */
interface ErrorBody {
  code: string;
  message: string;
  details?: Array<{ type: string; value: string; debug?: unknown }>;
}

describe("Connect JSON requests are decoded strictly, naming the field", () => {
  let t: TestServer;
  const created: unknown[] = [];
  const module: ServiceModule = {
    serviceNames: [],
    register(router) {
      router.service(SchedulerService, {
        createTask(req) {
          created.push(req);
          return {};
        },
      });
    },
  };
  beforeAll(async () => {
    t = await startTestServer({ modules: [module] });
  });
  afterAll(() => t.server.close());

  const post = async (body: string) => {
    const res = await fetch(`http://${t.server.address}/orchestrator.scheduler.v1.SchedulerService/CreateTask`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    return { status: res.status, body: (await res.json()) as ErrorBody };
  };
  const badRequest = (body: ErrorBody) => {
    const detail = body.details?.find((d) => d.type === "google.rpc.BadRequest");
    return (detail?.debug as { fieldViolations?: Array<{ field: string; description: string }> } | undefined)?.fieldViolations;
  };

  it("an unknown field (a typo) is INVALID_ARGUMENT naming it, not silently dropped", async () => {
    const { status, body } = await post(JSON.stringify({ spec: "x", timout: "5s" }));
    expect(status).toBe(400);
    expect(body.code).toBe("invalid_argument");
    expect(body.message).toBe('timout: unknown field: orchestrator.scheduler.v1.CreateTaskRequest has no field "timout"');
    expect(badRequest(body)).toEqual([{ field: "timout", description: 'unknown field: orchestrator.scheduler.v1.CreateTaskRequest has no field "timout"' }]);
    expect(body.details?.map((d) => d.type)).toContain("google.rpc.ErrorInfo");
    expect(created).toEqual([]);
  });

  it("a value that does not decode names the field and the rule", async () => {
    const { status, body } = await post(JSON.stringify({ spec: "x", timeout: "abc" }));
    expect(status).toBe(400);
    expect(body.message).toBe('timeout: invalid duration "abc"');
    expect(badRequest(body)).toEqual([{ field: "timeout", description: 'invalid duration "abc"' }]);
  });

  it("names nested and scalar fields by their proto names", async () => {
    const { body } = await post(JSON.stringify({ spec: "x", maxAttempts: "many", deps: ["a", 7] }));
    expect(badRequest(body)).toEqual([
      { field: "max_attempts", description: 'invalid uint32 "many"' },
      { field: "deps[1]", description: "invalid string 7" },
    ]);
  });

  it("a body that is not JSON is INVALID_ARGUMENT", async () => {
    const { status, body } = await post("{nope");
    expect(status).toBe(400);
    expect(body.message).toMatch(/^\(body\): not valid JSON/);
  });

  it("a good request passes, with JSON names or proto names", async () => {
    const res = await fetch(`http://${t.server.address}/orchestrator.scheduler.v1.SchedulerService/CreateTask`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ spec: "x", timeout: "5s", max_attempts: 2 }),
    });
    expect(res.status).toBe(200);
    expect(created).toHaveLength(1);
  });
});
