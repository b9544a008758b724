import { allFiles, HealthService } from "@orchestrator/contracts";
import { createServiceClient, startServer, type RunningServer } from "@orchestrator/rpc";
import { FakeHealthRegistry, testLogger, waitFor } from "@orchestrator/testing";
import { afterEach, describe, expect, it } from "vitest";
import { HealthFeed } from "./health-feed.js";
import { InstanceView } from "./instance-view.js";

describe("HealthFeed", () => {
  let server: RunningServer | undefined;
  let feed: HealthFeed | undefined;
  afterEach(async () => {
    await feed?.stop();
    await server?.close();
  });

  async function serve(registry: FakeHealthRegistry, port = 0): Promise<RunningServer> {
    return startServer({ host: "127.0.0.1", port, apiKeys: [], modules: [registry.module()], reflectionFiles: allFiles, logger: testLogger(), drainTimeoutMs: 100 });
  }

  function follow(view: InstanceView, address: () => string): HealthFeed {
    const f = new HealthFeed({ view, logger: testLogger(), initialBackoffMs: 20, maxBackoffMs: 100, client: () => createServiceClient(HealthService, { address: address(), timeoutMs: 0 }) });
    f.start();
    return f;
  }

  it("is ready once the snapshot is in, even an empty one, then follows changes", async () => {
    const registry = new FakeHealthRegistry();
    server = await serve(registry);
    const view = new InstanceView();
    feed = follow(view, () => server!.address);
    await view.whenReady(5000);
    expect(view.ready).toBe(true);
    expect(view.list()).toEqual([]);
    registry.set({ name: "B", address: "127.0.0.1:2" });
    registry.set({ name: "A", address: "127.0.0.1:1", health: "down" });
    await waitFor("A and B", () => view.list().length === 2);
    expect(view.list().map((i) => [i.name, i.health])).toEqual([
      ["A", "down"],
      ["B", "healthy"],
    ]);
    registry.remove("B");
    await waitFor("B removed", () => view.get("B") === undefined);
  });

  it("waits for the whole snapshot before it is ready", async () => {
    const registry = new FakeHealthRegistry();
    for (let i = 0; i < 50; i++) registry.set({ name: `n-${i}`, address: `127.0.0.1:${1000 + i}` });
    server = await serve(registry);
    const view = new InstanceView();
    feed = follow(view, () => server!.address);
    await view.whenReady(5000);
    expect(view.list()).toHaveLength(50);
  });

  it("reconnects after the stream breaks, keeping the last view meanwhile and dropping what vanished", async () => {
    const registry = new FakeHealthRegistry();
    registry.set({ name: "A", address: "127.0.0.1:1" });
    registry.set({ name: "B", address: "127.0.0.1:2" });
    server = await serve(registry);
    const view = new InstanceView();
    feed = follow(view, () => server!.address);
    await view.whenReady(5000);
    const port = server.port;
    await server.close();
    registry.remove("B"); // missed while disconnected
    expect(view.list().map((i) => i.name)).toEqual(["A", "B"]); // stale beats empty
    server = await serve(registry, port);
    await waitFor("B dropped after the resync", () => view.get("B") === undefined && view.get("A") !== undefined);
    expect(registry.watchCalls).toBeGreaterThanOrEqual(2);
    registry.breakWatches();
    registry.set({ name: "C", address: "127.0.0.1:3" });
    await waitFor("C seen after another reconnect", () => view.get("C") !== undefined);
  });
});
