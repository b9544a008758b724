import { fromJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { grpcHealth, WorkerService } from "@orchestrator/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceClient } from "./create-service-client.js";
import { errorReason } from "./error-reason.js";
import { startTestServer, type TestServer } from "./testing/start-test-server.js";

const payload = fromJson(ValueSchema, { data: "task" });
const KEYS = ["current-key-4f1c", "next-key-9a2b"];

describe("API-key auth on a real server", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ apiKeys: KEYS });
  });
  afterAll(() => t.server.close());

  const execute = (apiKey: string | undefined, protocol: "grpc" | "connect" = "grpc") =>
    createServiceClient(WorkerService, { address: t.server.address, protocol, ...(apiKey !== undefined ? { apiKey } : {}) })
      .execute({ workId: "w", payload })
      .then(
        (res) => res.instance,
        (err: unknown) => ConnectError.from(err),
      );

  it("rejects a call without a key as UNAUTHENTICATED with a clear message", async () => {
    const err = (await execute(undefined)) as ConnectError;
    expect(err.code).toBe(Code.Unauthenticated);
    expect(err.rawMessage).toBe("missing Authorization: Bearer <key> header");
    expect(errorReason(err)).toBe("missing_api_key");
  });

  it("rejects a wrong key as UNAUTHENTICATED invalid API key", async () => {
    const err = (await execute("current-key-4f1")) as ConnectError;
    expect(err.code).toBe(Code.Unauthenticated);
    expect(err.rawMessage).toBe("invalid API key");
    expect(errorReason(err)).toBe("invalid_api_key");
  });

  it("accepts every configured key (rotation), over gRPC and Connect", async () => {
    expect(await execute(KEYS[0])).toBe("test-worker");
    expect(await execute(KEYS[1])).toBe("test-worker");
    expect(await execute(KEYS[1], "connect")).toBe("test-worker");
  });

  it("rejects other schemes and malformed headers", async () => {
    for (const authorization of [`Basic ${KEYS[0]}`, "Bearer", `Bearer ${KEYS[0]} extra`]) {
      const res = await fetch(`http://${t.server.address}/orchestrator.worker.v1.WorkerService/Execute`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization },
        body: "{}",
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe("unauthenticated");
    }
  });

  it("leaves grpc.health.v1 open", async () => {
    const health = createServiceClient(grpcHealth.Health, { address: t.server.address });
    expect((await health.check({ service: "" })).status).toBe(grpcHealth.HealthCheckResponse_ServingStatus.SERVING);
  });

  it("never logs a key", async () => {
    await execute("wrong-key-never-logged");
    const all = t.lines.join("\n");
    expect(all).not.toContain("wrong-key-never-logged");
    for (const key of KEYS) {
      expect(all).not.toContain(key);
    }
  });
});
