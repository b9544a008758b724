import { Code, ConnectError } from "@connectrpc/connect";
import { HealthService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHealthServer, type HealthServerFixture } from "./test-support.js";

// Claims and locks are proven on real Postgres with two replicas; PGlite has one connection.
const realPostgres = Boolean(process.env.DATABASE_URL);

describe.skipIf(!realPostgres)("AllocateInstance across two health replicas on one Postgres", () => {
  let one: HealthServerFixture;
  let two: HealthServerFixture;

  beforeAll(async () => {
    one = await startHealthServer({ probing: false });
    two = await startHealthServer({ probing: false, databaseUrl: one.database.url! });
    for (let i = 1; i <= 5; i++) {
      const name = `kite-${i}`;
      await one.module.registry.register({ name, address: `127.0.0.1:${7100 + i}`, kind: "service", pool: "kite", labels: {}, probeMode: "grpc" }, false);
      await one.module.registry.transition(name, "unknown", "healthy", "test");
    }
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  async function allocateTwenty(round: string) {
    const clients = [one, two].map((fx) => createServiceClient(HealthService, { address: fx.address, timeoutMs: 10_000 }));
    return Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        clients[i % 2]!.allocateInstance({ pool: "kite", holder: `${round}-${i}` }).then(
          (res) => ({ ok: true as const, name: res.instance!.name }),
          (err: unknown) => ({ ok: false as const, code: ConnectError.from(err).code }),
        ),
      ),
    );
  }

  it("hands each of five instances to exactly one of twenty callers; release makes them allocatable again", async () => {
    const first = await allocateTwenty("r1");
    const won = first.filter((r) => r.ok).map((r) => r.name);
    expect(won.sort()).toEqual(["kite-1", "kite-2", "kite-3", "kite-4", "kite-5"]);
    expect(first.filter((r) => !r.ok).map((r) => r.code)).toEqual(Array(15).fill(Code.ResourceExhausted));

    const client = createServiceClient(HealthService, { address: two.address });
    for (const name of won) await client.releaseInstance({ name });
    const second = await allocateTwenty("r2");
    expect(second.filter((r) => r.ok).map((r) => r.name).sort()).toEqual(["kite-1", "kite-2", "kite-3", "kite-4", "kite-5"]);
  });
});
