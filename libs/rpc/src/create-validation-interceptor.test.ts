import { Code } from "@connectrpc/connect";
import { HealthService } from "@orchestrator/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceClient } from "./create-service-client.js";
import { errorReason } from "./error-reason.js";
import { fieldViolations } from "./field-violations.js";
import { startTestServer, type TestServer } from "./testing/start-test-server.js";
import { callError } from "./testing/call-error.js";

describe("protovalidate rules on a real server", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.server.close());

  it.each(["grpc", "connect", "grpc-web"] as const)(
    "answers INVALID_ARGUMENT naming the field over %s, and the handler never runs",
    async (protocol) => {
      const client = createServiceClient(HealthService, { address: t.server.address, protocol });
      const err = await callError(client.registerInstance({ name: "", address: "127.0.0.1:7001" }));
      expect(err.code).toBe(Code.InvalidArgument);
      expect(err.rawMessage).toMatch(/^name: /);
      // "" breaks both min_len and the name pattern.
      expect(fieldViolations(err)).toContainEqual({ field: "name", description: "must be at least 1 characters" });
      expect(new Set(fieldViolations(err).map((v) => v.field))).toEqual(new Set(["name"]));
      expect(errorReason(err)).toBe("invalid_argument");
      expect(t.log).not.toContain("register ");
    },
  );

  it("reports every violated field", async () => {
    const client = createServiceClient(HealthService, { address: t.server.address });
    const err = await callError(client.registerInstance({ name: "-bad-", address: "not an address", labels: { "": "x" } }));
    expect(new Set(fieldViolations(err).map((v) => v.field))).toEqual(new Set(["address", 'labels[""]', "name"]));
  });

  it("lets valid requests through", async () => {
    const client = createServiceClient(HealthService, { address: t.server.address });
    const res = await client.registerInstance({ name: "kite-1", address: "127.0.0.1:7001" });
    expect(res.instance?.name).toBe("kite-1");
    expect(t.log).toContain("register kite-1");
  });

  it("answers Connect JSON clients with the field in the message", async () => {
    const res = await fetch(`http://${t.server.address}/orchestrator.health.v1.HealthService/RegisterInstance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "", address: "127.0.0.1:7001" }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe("invalid_argument");
    expect(body.message).toMatch(/^name: /);
  });
});
