import { WorkerService } from "@orchestrator/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceClient } from "./create-service-client.js";
import { releaseTransport, toBaseUrl } from "./create-transport.js";
import { pooledChannels } from "./grpc-channel-pool.js";
import { startTestServer, type TestServer } from "./testing/start-test-server.js";

describe("releaseTransport", () => {
  let test: TestServer;
  beforeAll(async () => {
    test = await startTestServer();
  });
  afterAll(async () => {
    await test.server.close();
  });

  it("closes the address's pooled channel, and a later client of the address opens a new one", async () => {
    const address = test.server.address;
    const first = createServiceClient(WorkerService, { address });
    expect((await first.execute({ workId: "w1" })).instance).toBe("test-worker");
    expect(pooledChannels()).toContain(toBaseUrl(address));

    releaseTransport(address);
    expect(pooledChannels()).not.toContain(toBaseUrl(address));

    const second = createServiceClient(WorkerService, { address });
    expect((await second.execute({ workId: "w2" })).instance).toBe("test-worker");
    expect(pooledChannels()).toContain(toBaseUrl(address));
    releaseTransport(address);
  });
});
