import { Code } from "@connectrpc/connect";
import { WorkerService } from "@orchestrator/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceClient } from "./create-service-client.js";
import { createTransport, toBaseUrl } from "./create-transport.js";
import { startTestServer, type TestServer } from "./testing/start-test-server.js";
import { callError } from "./testing/call-error.js";

describe("toBaseUrl", () => {
  it.each([
    ["127.0.0.1:50051", "http://127.0.0.1:50051"],
    ["[::1]:50051", "http://[::1]:50051"],
    ["http://router:8080/", "http://router:8080"],
    ["https://orchestrator.example.com", "https://orchestrator.example.com"],
  ])("%s → %s", (address, url) => {
    expect(toBaseUrl(address)).toBe(url);
  });
});

describe("createTransport", () => {
  it("reuses one transport for equal options and not across keys, protocols or timeouts", () => {
    const a = createTransport({ address: "127.0.0.1:1", apiKey: "k" });
    expect(createTransport({ address: "http://127.0.0.1:1", apiKey: "k", protocol: "grpc", timeoutMs: 30_000 })).toBe(a);
    expect(createTransport({ address: "127.0.0.1:1", apiKey: "other" })).not.toBe(a);
    expect(createTransport({ address: "127.0.0.1:1", apiKey: "k", protocol: "connect" })).not.toBe(a);
    expect(createTransport({ address: "127.0.0.1:1", apiKey: "k", timeoutMs: 0 })).not.toBe(a);
  });
});

describe("client deadlines against a real server", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.server.close());

  it.each(["grpc", "connect", "grpc-web"] as const)("applies timeoutMs as the default deadline over %s", async (protocol) => {
    const client = createServiceClient(WorkerService, { address: t.server.address, timeoutMs: 100, protocol });
    const err = await callError(client.execute({ workId: "hang" }));
    expect(err.code).toBe(Code.DeadlineExceeded);
  });

  it("lets a call's own timeoutMs win over the default", async () => {
    const client = createServiceClient(WorkerService, { address: t.server.address, timeoutMs: 60_000 });
    const err = await callError(client.execute({ workId: "hang" }, { timeoutMs: 100 }));
    expect(err.code).toBe(Code.DeadlineExceeded);
  });

  it("does not log a cancelled handler as an internal error", () => {
    expect(t.lines.filter((l) => l.includes("unhandled error"))).toEqual([]);
  });
});
