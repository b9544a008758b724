import { fromJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { rpcStatus, WorkerService } from "@orchestrator/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createErrorInterceptor } from "./create-error-interceptor.js";
import { createServiceClient } from "./create-service-client.js";
import { errorReason } from "./error-reason.js";
import { createTestLogger } from "./testing/test-logger.js";
import { startTestServer, type TestServer } from "./testing/start-test-server.js";
import { createTestWorkerModule } from "./testing/test-modules.js";
import { callError } from "./testing/call-error.js";

const payload = fromJson(ValueSchema, { data: "task" });

describe("createErrorInterceptor (in memory)", () => {
  it("passes ConnectErrors through unchanged", async () => {
    const { logger, lines } = createTestLogger();
    const transport = createRouterTransport(
      (router) =>
        router.service(WorkerService, {
          execute() {
            throw new ConnectError("try later", Code.Unavailable);
          },
        }),
      { router: { interceptors: [createErrorInterceptor(logger)] } },
    );
    const err = await callError(createClient(WorkerService, transport).execute({}));
    expect([err.code, err.rawMessage]).toEqual([Code.Unavailable, "try later"]);
    expect(lines).toEqual([]);
  });

  it("maps errors thrown while a response stream is read", async () => {
    const { logger, lines } = createTestLogger();
    const { HealthService } = await import("@orchestrator/contracts");
    const { NotFoundError } = await import("@orchestrator/errors");
    const transport = createRouterTransport(
      (router) =>
        router.service(HealthService, {
          async *watchHealth() {
            throw new NotFoundError("instance", "ghost");
          },
        }),
      { router: { interceptors: [createErrorInterceptor(logger)] } },
    );
    const err = await callError(
      (async () => {
        for await (const _ of createClient(HealthService, transport).watchHealth({})) {
          // nothing arrives
        }
      })(),
    );
    expect(err.code).toBe(Code.NotFound);
    expect(errorReason(err)).toBe("unknown_instance");
    expect(lines).toEqual([]);
  });
});

describe("error mapping at the edge of a real server", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ modules: [createTestWorkerModule()] });
  });
  afterAll(() => t.server.close());

  it.each(["grpc", "connect", "grpc-web"] as const)("maps a DomainError to its code, reason and metadata over %s", async (protocol) => {
    const client = createServiceClient(WorkerService, { address: t.server.address, protocol });
    const err = await callError(client.execute({ workId: "domain-error", payload }));
    expect(err.code).toBe(Code.NotFound);
    expect(err.rawMessage).toBe('instance "ghost" not found');
    expect(errorReason(err)).toBe("unknown_instance");
    const [info] = err.findDetails(rpcStatus.ErrorInfoSchema);
    expect(info?.domain).toBe("orchestrator");
    expect(info?.metadata).toEqual({ instance: "ghost" });
  });

  it("answers INTERNAL 'internal error' for anything else, and logs it server-side only", async () => {
    const client = createServiceClient(WorkerService, { address: t.server.address });
    const err = await callError(client.execute({ workId: "crash", payload }));
    expect([err.code, err.rawMessage]).toEqual([Code.Internal, "internal error"]);
    expect(err.details).toEqual([]);

    const res = await fetch(`http://${t.server.address}/orchestrator.worker.v1.WorkerService/Execute`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ workId: "crash" }),
    });
    const body = await res.text();
    expect(body).not.toContain("secret-db-password");
    expect(body).not.toContain("at ");

    const logged = t.lines.filter((l) => l.includes("unhandled error in RPC handler"));
    expect(logged.length).toBe(2);
    expect(logged[0]).toContain("secret-db-password");
    expect(logged[0]).toContain("orchestrator.worker.v1.WorkerService/Execute");
  });
});
