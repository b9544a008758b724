import { createTestDatabase, migrateToLatest, type DatabaseHandle } from "@orchestrator/db";
import { AlreadyExistsError, DomainError, FailedPreconditionError, InvalidArgumentError, NotFoundError } from "@orchestrator/errors";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { NewInstance } from "./instance.js";
import { InstanceRegistry } from "./instance-registry.service.js";
import { listTransitions } from "./transition.repository.js";

let database: DatabaseHandle;
let registry: InstanceRegistry;

const instance = (name: string, over: Partial<NewInstance> = {}): NewInstance => ({
  name,
  address: `127.0.0.1:${7000 + name.charCodeAt(0)}`,
  kind: "service",
  pool: "demo",
  labels: {},
  probeMode: "grpc",
  ...over,
});

async function count(): Promise<number> {
  const row = await database.db.selectFrom("instances").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateToLatest(database.db);
  registry = new InstanceRegistry(database.db);
});
afterAll(() => database.close());
beforeEach(async () => {
  await database.db.deleteFrom("instances").execute();
  await database.db.deleteFrom("health_transitions").execute();
});

describe("InstanceRegistry", () => {
  it("registers, rejects a duplicate with ALREADY_EXISTS naming the field, and replaces on request", async () => {
    const a = await registry.register(instance("A", { labels: { zone: "a" } }), false);
    expect(a).toMatchObject({ name: "A", health: "unknown", activity: "idle", pool: "demo", labels: { zone: "a" } });
    const dup = await registry.register(instance("A"), false).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(AlreadyExistsError);
    expect((dup as AlreadyExistsError).violations[0]?.field).toBe("name");
    const replaced = await registry.register(instance("A", { address: "127.0.0.1:9999" }), true);
    expect(replaced.address).toBe("127.0.0.1:9999");
    expect(await count()).toBe(1);
  });

  it.each([
    ["name", instance("")],
    ["name", instance("x".repeat(64))],
    ["name", instance("A-")],
    ["name", instance("a b")],
    ["address", instance("B", { address: "not an address" })],
    ["address", instance("B", { address: "127.0.0.1:99999" })],
    ["address", instance("B", { address: "127.0.0.1" })],
    ["pool", instance("B", { pool: "bad pool" })],
  ])("rejects a bad %s with INVALID_ARGUMENT and writes nothing", async (field, bad) => {
    const err = await registry.register(bad, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).field).toBe(field);
    expect(await count()).toBe(0);
  });

  it("resolves selectors and fails naming a selector that matches nothing", async () => {
    for (const n of ["A", "B", "C", "kite-1", "kite-2"]) await registry.register(instance(n, { pool: n.startsWith("kite") ? "kite" : "demo" }), false);
    expect((await registry.list(["A-B"])).map((i) => i.name)).toEqual(["A", "B"]);
    expect((await registry.list(["kite-*"])).map((i) => i.name)).toEqual(["kite-1", "kite-2"]);
    expect((await registry.list(["@pool:kite", "A"])).map((i) => i.name).sort()).toEqual(["A", "kite-1", "kite-2"]);
    const err = await registry.list(["Z"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).message).toContain("Z");
    const syntax = await registry.list(["kite-5..1"]).catch((e: unknown) => e);
    expect((syntax as DomainError).status).toBe("invalid_argument");
  });

  it("checkHealth answers the name → health map", async () => {
    await registry.register(instance("A"), false);
    await registry.register(instance("B"), false);
    await registry.transition("A", "unknown", "healthy", "test");
    expect(await registry.checkHealth(["A-B"])).toEqual({ A: "healthy", B: "unknown" });
  });

  it("transition is compare-and-set and writes one history row", async () => {
    await registry.register(instance("A"), false);
    expect(await registry.transition("A", "unknown", "healthy", "probe ok")).toMatchObject({ health: "healthy" });
    expect(await registry.transition("A", "unknown", "down", "stale view")).toBeUndefined();
    const history = await listTransitions(database.db, "A", 10);
    expect(history.map((t) => [t.from, t.to, t.reason])).toEqual([
      ["unknown", "healthy", "probe ok"],
      ["unknown", "unknown", "registered"],
    ]);
  });

  it("allocates each idle healthy instance once, then nothing; release makes it allocatable again", async () => {
    for (const n of ["A", "B", "C"]) {
      await registry.register(instance(n), false);
      await registry.transition(n, "unknown", "healthy", "test");
    }
    await registry.transition("C", "healthy", "down", "test");
    const got = [(await registry.tryAllocate("demo", "t1"))!, (await registry.tryAllocate("demo", "t2"))!];
    expect(got.map((i) => i.name).sort()).toEqual(["A", "B"]);
    expect(got.every((i) => i.activity === "busy" && i.allocatedTo)).toBe(true);
    expect(await registry.tryAllocate("demo", "t3")).toBeUndefined();
    expect([await registry.poolHasMembers("demo"), await registry.poolHasMembers("nope")]).toEqual([true, false]);
    await expect(registry.release("A", "someone-else")).rejects.toBeInstanceOf(FailedPreconditionError);
    const released = await registry.release("A", got.find((i) => i.name === "A")!.allocatedTo!);
    expect(released).toMatchObject({ activity: "idle", allocatedTo: null });
    expect((await registry.tryAllocate("demo", "t4"))?.name).toBe("A");
    await expect(registry.release("C", undefined)).rejects.toBeInstanceOf(FailedPreconditionError);
  });

  it("heartbeat-probed instances become healthy by heartbeat", async () => {
    await registry.register(instance("agent-1", { kind: "agent", probeMode: "heartbeat" }), false);
    const after = await registry.heartbeat("agent-1", "running");
    expect(after).toMatchObject({ health: "healthy", activity: "running" });
    await expect(registry.heartbeat("ghost", undefined)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("an allocated instance reporting idle stays busy until released; other activities are recorded with when they changed", async () => {
    await registry.register(instance("agent-1", { kind: "agent", probeMode: "heartbeat" }), false);
    const first = await registry.heartbeat("agent-1", "idle");
    await registry.tryAllocate("demo", "task:t1");
    expect(await registry.heartbeat("agent-1", "idle")).toMatchObject({ activity: "busy", allocatedTo: "task:t1" });
    expect(await registry.reportActivity("agent-1", "idle", "")).toMatchObject({ activity: "busy" });
    const running = await registry.reportActivity("agent-1", "running", "t1");
    expect(running).toMatchObject({ activity: "running", activityDetail: "t1" });
    expect(running.activityChangedAt.getTime()).toBeGreaterThanOrEqual(first.activityChangedAt.getTime());
    const same = await registry.heartbeat("agent-1", "running");
    expect(same.activityChangedAt).toEqual(running.activityChangedAt);
    expect(await registry.release("agent-1", "task:t1")).toMatchObject({ activity: "idle", allocatedTo: null });
    expect(await registry.heartbeat("agent-1", "idle")).toMatchObject({ activity: "idle" });
  });

  it("deregister removes the instance and its history; unknown names are NOT_FOUND", async () => {
    await registry.register(instance("A"), false);
    await registry.deregister("A");
    expect(await count()).toBe(0);
    expect(await listTransitions(database.db, "A", 10)).toEqual([]);
    await expect(registry.deregister("A")).rejects.toBeInstanceOf(NotFoundError);
  });
});
