import { Code, ConnectError } from "@connectrpc/connect";
import { HealthService, HealthState } from "@orchestrator/contracts";
import { createServiceClient, errorReason } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterEach, describe, expect, it } from "vitest";
import { startHealthServer, type HealthServerFixture } from "../test-support.js";
import type { PoolTemplate } from "./pool-template.js";
import { FakeProvisioner } from "./testing/fake-provisioner.js";
import { poolTemplate } from "./testing/pool-template-builder.js";

// Locks across replicas are proven on real Postgres; PGlite has one connection.
const realPostgres = Boolean(process.env.DATABASE_URL);

describe.skipIf(!realPostgres)("pools across two health replicas on one Postgres", () => {
  let one: HealthServerFixture | undefined;
  let two: HealthServerFixture | undefined;
  const fakes: FakeProvisioner[] = [];

  async function replicas(template: PoolTemplate, poolManager = { intervalMs: 50 }): Promise<[HealthServerFixture, HealthServerFixture]> {
    fakes.length = 0;
    fakes.push(new FakeProvisioner(() => one!.address), new FakeProvisioner(() => two!.address));
    one = await startHealthServer({ probing: false, pools: [template], provisioner: fakes[0]!, poolManager });
    two = await startHealthServer({ probing: false, pools: [template], provisioner: fakes[1]!, poolManager, databaseUrl: one.database.url! });
    return [one, two];
  }

  afterEach(async () => {
    await two?.close();
    await one?.close();
    one = two = undefined;
  });

  it("two replicas racing to grow a pool at max-1 provision exactly one instance", async () => {
    const [a, b] = await replicas(poolTemplate({ max: 4 }));
    for (let i = 1; i <= 3; i++) {
      const name = `kite-${i}`;
      await a.module.registry.register({ name, address: `127.0.0.1:${7400 + i}`, kind: "agent", pool: "kite", labels: {}, probeMode: "heartbeat" }, false);
      await a.module.registry.heartbeat(name, "idle");
      await a.module.registry.tryAllocate("kite", `busy-${i}`);
    }
    const clients = [a, b].map((fx) => createServiceClient(HealthService, { address: fx.address, timeoutMs: 20_000 }));
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        clients[i % 2]!.allocateInstance({ pool: "kite", holder: `racer-${i}` }).then(
          (res) => ({ ok: true as const, name: res.instance!.name, provisioned: res.provisioned }),
          (err: unknown) => ({ ok: false as const, code: ConnectError.from(err).code, reason: errorReason(err) }),
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, name: "kite-4", provisioned: true }]);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && [r.code, r.reason])).toEqual(Array(7).fill([Code.ResourceExhausted, "pool_exhausted"]));
    expect([...fakes[0]!.provisioned, ...fakes[1]!.provisioned]).toEqual(["kite-4"]);
  });

  it("two pool managers keep the minimum without overshooting it", async () => {
    const [a] = await replicas(poolTemplate({ min: 3, max: 6 }));
    const client = createServiceClient(HealthService, { address: a.address });
    await waitFor("three healthy members", async () => {
      const members = (await client.listPools({})).pools[0]!.members;
      return members.length === 3 && members.every((m) => m.health === HealthState.HEALTHY);
    });
    await new Promise((r) => setTimeout(r, 500));
    const members = (await client.listPools({})).pools[0]!.members.map((m) => m.name);
    expect(members).toEqual(["kite-1", "kite-2", "kite-3"]);
    expect([...fakes[0]!.provisioned, ...fakes[1]!.provisioned].sort()).toEqual(["kite-1", "kite-2", "kite-3"]);
  });
});
