import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { Activity, HealthService, HealthState } from "@orchestrator/contracts";
import { createServiceClient, errorReason } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startHealthServer, type HealthServerFixture } from "../test-support.js";
import { ProvisionError } from "./provisioner.js";
import { FakeProvisioner } from "./testing/fake-provisioner.js";
import { poolTemplate } from "./testing/pool-template-builder.js";

let fx: HealthServerFixture;
let fake: FakeProvisioner;
const client = () => createServiceClient(HealthService, { address: fx.address, timeoutMs: 20_000 });

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (err: unknown) => ConnectError.from(err),
  );

/** kite-1..n registered, healthy and allocated (busy). */
async function busyMembers(n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    const name = `kite-${i}`;
    await fx.module.registry.register({ name, address: `127.0.0.1:${7200 + i}`, kind: "agent", pool: "kite", labels: {}, probeMode: "heartbeat" }, false);
    await fx.module.registry.heartbeat(name, "idle");
    await fx.module.registry.tryAllocate("kite", `busy-${i}`);
  }
}

beforeAll(async () => {
  fake = new FakeProvisioner(() => fx.address);
  fx = await startHealthServer({ probing: false, pools: [poolTemplate({ name: "kite", max: 4 })], provisioner: fake });
});
afterAll(() => fx.close());
beforeEach(async () => {
  await fx.database.db.deleteFrom("instances").execute();
  fake.provisioned.length = 0;
  fake.behaviour = {};
});

describe("AllocateInstance on a pool with a template", () => {
  it("provisions kite-4 when kite-1..3 are busy, hands it out provisioned and keeps the holder across its registration", async () => {
    await busyMembers(3);
    const res = await client().allocateInstance({ pool: "kite", holder: "task:t1" });
    expect(res.provisioned).toBe(true);
    expect(res.instance).toMatchObject({ name: "kite-4", allocatedTo: "task:t1", health: HealthState.HEALTHY, activity: Activity.BUSY });
    expect(fake.provisioned).toEqual(["kite-4"]);
    const row = await fx.database.db.selectFrom("instances").selectAll().where("name", "=", "kite-4").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ provisioning: false, allocated_to: "task:t1", activity: "busy" });
  });

  it("hands out an idle instance without provisioning", async () => {
    await busyMembers(1);
    await fx.module.registry.release("kite-1", undefined);
    const res = await client().allocateInstance({ pool: "kite", holder: "h" });
    expect(res).toMatchObject({ provisioned: false, instance: { name: "kite-1" } });
    expect(fake.provisioned).toEqual([]);
  });

  it("at the maximum fails at once with RESOURCE_EXHAUSTED pool_exhausted, naming the pool and its maximum", async () => {
    await busyMembers(4);
    const err = await failure(client().allocateInstance({ pool: "kite", holder: "h" }));
    expect(err.code).toBe(Code.ResourceExhausted);
    expect(errorReason(err)).toBe("pool_exhausted");
    expect(err.rawMessage).toContain('pool "kite" is at its maximum of 4');
    expect(err.rawMessage).toContain("--wait");
    expect(fake.provisioned).toEqual([]);
  });

  it("with wait, gets the instance someone else releases", async () => {
    await busyMembers(4);
    const waiting = client().allocateInstance({ pool: "kite", holder: "waiter", wait: true, timeout: durationFromMs(15_000) });
    await new Promise((r) => setTimeout(r, 100));
    await client().releaseInstance({ name: "kite-2", holder: "busy-2" });
    const res = await waiting;
    expect(res).toMatchObject({ provisioned: false, instance: { name: "kite-2", allocatedTo: "waiter" } });
  });

  it("with wait, fails RESOURCE_EXHAUSTED when nothing is freed within the timeout", async () => {
    await busyMembers(4);
    const err = await failure(client().allocateInstance({ pool: "kite", holder: "h", wait: true, timeout: durationFromMs(150) }));
    expect(err.code).toBe(Code.ResourceExhausted);
    expect(errorReason(err)).toBe("pool_exhausted");
    expect(err.rawMessage).toContain("waited");
  });

  it("with wait, provisions once the pool has room again (a member went away)", async () => {
    await busyMembers(4);
    const waiting = client().allocateInstance({ pool: "kite", holder: "waiter", wait: true, timeout: durationFromMs(15_000) });
    await new Promise((r) => setTimeout(r, 100));
    await client().deregisterInstance({ name: "kite-2" });
    const res = await waiting;
    expect(res).toMatchObject({ provisioned: true, instance: { name: "kite-5", allocatedTo: "waiter" } });
  });

  it("when the caller leaves during a provision, the provision completes and the instance is released to the pool", async () => {
    await busyMembers(3);
    fake.behaviour = { registerAfterMs: 1500 };
    const err = await failure(client().allocateInstance({ pool: "kite", holder: "impatient" }, { timeoutMs: 300 }));
    expect(err.code).toBe(Code.DeadlineExceeded);
    const idle = await waitFor("kite-4 idle and free", async () => {
      const i = (await client().getInstance({ name: "kite-4" })).instance!;
      return i.activity === Activity.IDLE && i.allocatedTo === "" && i.health === HealthState.HEALTHY ? i : undefined;
    });
    expect(idle.name).toBe("kite-4");
  });

  it("with no_provision, does not provision: RESOURCE_EXHAUSTED no_idle_instance", async () => {
    await busyMembers(3);
    const err = await failure(client().allocateInstance({ pool: "kite", holder: "h", noProvision: true }));
    expect(err.code).toBe(Code.ResourceExhausted);
    expect(errorReason(err)).toBe("no_idle_instance");
    expect(fake.provisioned).toEqual([]);
  });

  it("a failed provision removes the reservation and fails FAILED_PRECONDITION provision_failed with the step and the output", async () => {
    await busyMembers(3);
    fake.behaviour = { fail: new ProvisionError("setup", "scripts/dev-setup.sh failed (exit code 1)", "npm ERR! missing script: setup") };
    const err = await failure(client().allocateInstance({ pool: "kite", holder: "h" }));
    expect(err.code).toBe(Code.FailedPrecondition);
    expect(errorReason(err)).toBe("provision_failed");
    expect(err.rawMessage).toContain("kite-4");
    expect(err.rawMessage).toContain("setup failed");
    expect(err.rawMessage).toContain("npm ERR! missing script: setup");
    const names = (await client().listInstances({})).instances.map((i) => i.name);
    expect(names).toEqual(["kite-1", "kite-2", "kite-3"]);
  });

  it("an agent that exits before registering fails the provision with its output", async () => {
    await busyMembers(3);
    fake.behaviour = { exitBeforeRegistering: true };
    const err = await failure(client().allocateInstance({ pool: "kite", holder: "h" }));
    expect(errorReason(err)).toBe("provision_failed");
    expect(err.rawMessage).toContain("register failed");
    expect(err.rawMessage).toContain("exit code 3");
    expect(err.rawMessage).toContain("fake agent kite-4: no credentials");
    expect((await client().listInstances({})).instances.map((i) => i.name)).not.toContain("kite-4");
  });

  it("a pool with no template and no instance is NOT_FOUND, even with wait", async () => {
    const err = await failure(client().allocateInstance({ pool: "nope", holder: "h", wait: true }));
    expect(err.code).toBe(Code.NotFound);
  });

  it("ListPools shows the template and its members", async () => {
    await busyMembers(2);
    const res = await client().listPools({});
    expect(res.pools).toHaveLength(1);
    expect(res.pools[0]).toMatchObject({ name: "kite", provisioner: "fake", min: 0, max: 4, repo: "https://example.invalid/kite.git", provisioning: [] });
    expect(res.pools[0]!.members.map((m) => m.name)).toEqual(["kite-1", "kite-2"]);
  });
});
