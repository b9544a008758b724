import { Activity, HealthService, HealthState } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterEach, describe, expect, it } from "vitest";
import { startHealthServer, type HealthServerFixture } from "../test-support.js";
import type { PoolTemplate } from "./pool-template.js";
import { FakeProvisioner } from "./testing/fake-provisioner.js";
import { poolTemplate } from "./testing/pool-template-builder.js";

let fx: HealthServerFixture | undefined;
let fake: FakeProvisioner;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

async function start(template: PoolTemplate): Promise<HealthServerFixture> {
  fake = new FakeProvisioner(() => fx!.address);
  fx = await startHealthServer({ probing: false, pools: [template], provisioner: fake, poolManager: { intervalMs: 50 } });
  return fx;
}

const members = async (f: HealthServerFixture) => (await createServiceClient(HealthService, { address: f.address }).listPools({})).pools[0]!.members;

describe("PoolManager", () => {
  it("keeps the pool's minimum up, provisioning one at a time, with no holder", async () => {
    const f = await start(poolTemplate({ min: 2, max: 4 }));
    const up = await waitFor("two healthy members", async () => {
      const m = await members(f);
      return m.length === 2 && m.every((i) => i.allocatedTo === "" && i.name.startsWith("kite-")) && m.every((i) => i.health === HealthState.HEALTHY) ? m : undefined;
    });
    expect(up.map((i) => i.name)).toEqual(["kite-1", "kite-2"]);
    expect(fake.provisioned).toEqual(["kite-1", "kite-2"]);
  });

  it("stops and deregisters an instance it started that stayed idle past idleShutdown while the pool is above its minimum", async () => {
    const f = await start(poolTemplate({ min: 1, max: 3, idleShutdownMs: 300 }));
    await waitFor("the minimum, registered and idle", async () => {
      const m = await members(f);
      return m.length === 1 && m[0]!.health === HealthState.HEALTHY && m[0]!.activity === Activity.IDLE;
    });
    const client = createServiceClient(HealthService, { address: f.address, timeoutMs: 10_000 });
    const a = await client.allocateInstance({ pool: "kite", holder: "h1" });
    const b = await client.allocateInstance({ pool: "kite", holder: "h2" });
    expect([a.instance!.name, b.instance!.name].sort()).toEqual(["kite-1", "kite-2"]);
    expect(b.provisioned).toBe(true);
    await client.releaseInstance({ name: a.instance!.name });
    await client.releaseInstance({ name: b.instance!.name });
    const left = await waitFor("one member left", async () => {
      const m = await members(f);
      return m.length === 1 ? m : undefined;
    });
    expect(fake.stopped).toHaveLength(1);
    expect(left.map((i) => i.name)).not.toContain(fake.stopped[0]);
    // At the minimum, the last one stays.
    await new Promise((r) => setTimeout(r, 600));
    expect(await members(f)).toHaveLength(1);
  });

  it("at stop, stops the processes it started and deregisters them", async () => {
    const f = await start(poolTemplate({ min: 1, max: 2 }));
    await waitFor("the minimum", async () => (await members(f)).some((i) => i.health === HealthState.HEALTHY));
    await f.module.poolManager!.stop();
    expect(fake.stopped).toEqual(["kite-1"]);
    expect((await f.module.registry.list([])).map((i) => i.name)).toEqual([]);
  });
});
