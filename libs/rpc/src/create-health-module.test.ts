import { createClient, createRouterTransport, Code } from "@connectrpc/connect";
import * as grpc from "@grpc/grpc-js";
import { grpcHealth, HealthService, WorkerService } from "@orchestrator/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHealthModule } from "./create-health-module.js";
import { HealthStatusRegistry } from "./health-status-registry.js";
import { createGrpcJsHealthClient, grpcJsCheck, type GrpcJsHealthClient } from "./testing/grpc-js-clients.js";
import { startTestServer, type TestServer } from "./testing/start-test-server.js";
import { callError } from "./testing/call-error.js";

const ServingStatus = grpcHealth.HealthCheckResponse_ServingStatus;

describe("createHealthModule (in memory)", () => {
  it("answers Check from the registry and NOT_FOUND for unknown services", async () => {
    const registry = new HealthStatusRegistry();
    registry.setStatus("", "SERVING");
    registry.setStatus("a.B", "NOT_SERVING");
    const transport = createRouterTransport((router) => createHealthModule(registry).register(router));
    const client = createClient(grpcHealth.Health, transport);
    expect((await client.check({ service: "" })).status).toBe(ServingStatus.SERVING);
    expect((await client.check({ service: "a.B" })).status).toBe(ServingStatus.NOT_SERVING);
    const err = await callError(client.check({ service: "nope.Service" }));
    expect(err.code).toBe(Code.NotFound);
  });
});

describe("grpc.health.v1 on a real server, to a grpc-js peer", () => {
  let t: TestServer;
  let client: GrpcJsHealthClient;
  beforeAll(async () => {
    // Health stays open with auth on.
    t = await startTestServer({ apiKeys: ["secret"] });
    client = createGrpcJsHealthClient(t.server.address);
  });
  afterAll(async () => {
    client.close();
    await t.server.close();
  });

  it("reports the server and every module's services SERVING after start", async () => {
    expect(await grpcJsCheck(client, "")).toBe("SERVING");
    expect(await grpcJsCheck(client, WorkerService.typeName)).toBe("SERVING");
    expect(await grpcJsCheck(client, HealthService.typeName)).toBe("SERVING");
  });

  it("answers NOT_FOUND for an unknown service", async () => {
    const err = (await grpcJsCheck(client, "nope.v1.Nope").catch((e: unknown) => e)) as grpc.ServiceError;
    expect(err.code).toBe(grpc.status.NOT_FOUND);
  });

  it("lists every status", async () => {
    const statuses = await new Promise<Record<string, { status: string }>>((resolve, reject) =>
      client.List({}, (err, res) => (err ? reject(err) : resolve(res.statuses))),
    );
    expect(statuses).toEqual({
      "": { status: "SERVING" },
      [WorkerService.typeName]: { status: "SERVING" },
      [HealthService.typeName]: { status: "SERVING" },
    });
  });

  it("streams status changes on Watch, and SERVICE_UNKNOWN without ending the call", async () => {
    const seen: string[] = [];
    const call = client.Watch({ service: "test.Late" });
    call.on("error", () => {}); // CANCELLED, by us, below
    await new Promise<void>((resolve) => {
      call.on("data", (res: { status: string }) => {
        seen.push(res.status);
        if (res.status === "SERVICE_UNKNOWN") {
          t.server.health.setStatus("test.Late", "NOT_SERVING");
        } else if (res.status === "NOT_SERVING") {
          t.server.health.setStatus("test.Late", "SERVING");
        } else {
          resolve();
        }
      });
    });
    call.cancel();
    expect(seen).toEqual(["SERVICE_UNKNOWN", "NOT_SERVING", "SERVING"]);
  });
});
