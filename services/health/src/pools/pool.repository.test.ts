import { createTestDatabase, migrateToLatest, type DatabaseHandle } from "@orchestrator/db";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { NewInstance } from "../instances/instance.js";
import { InstanceRegistry } from "../instances/instance-registry.service.js";
import { findStaleHeartbeats } from "../instances/instance.repository.js";
import { highestOrdinal, insertReservation } from "./pool.repository.js";

let database: DatabaseHandle;
let registry: InstanceRegistry;

const agent = (name: string): NewInstance => ({ name, address: "127.0.0.1:7301", kind: "agent", pool: "kite", labels: {}, probeMode: "heartbeat" });

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateToLatest(database.db);
  registry = new InstanceRegistry(database.db);
});
afterAll(() => database.close());
beforeEach(async () => {
  await database.db.deleteFrom("instances").execute();
});

describe("provisioning reservations", () => {
  it("are not @idle, @healthy, allocatable, made healthy by a heartbeat or swept down before the agent registers", async () => {
    await insertReservation(database.db, { name: "kite-1", pool: "kite", labels: {}, holder: null });
    await database.db.updateTable("instances").set({ registered_at: new Date(Date.now() - 60_000) }).execute();
    expect(await registry.heartbeat("kite-1", "idle")).toMatchObject({ health: "unknown", activity: "busy", provisioning: true });
    await registry.register(agent("kite-2"), false);
    await registry.heartbeat("kite-2", "idle");
    expect((await registry.list(["@idle"])).map((i) => i.name)).toEqual(["kite-2"]);
    expect((await registry.list(["@healthy"])).map((i) => i.name)).toEqual(["kite-2"]);
    expect((await registry.tryAllocate("kite", "a"))?.name).toBe("kite-2");
    expect(await registry.tryAllocate("kite", "b")).toBeUndefined();
    expect((await findStaleHeartbeats(database.db, 1000)).map((i) => i.name)).toEqual([]);
  });

  it("registering over a reservation keeps its holder (busy) and ends the reservation", async () => {
    await insertReservation(database.db, { name: "kite-4", pool: "kite", labels: {}, holder: "task:t1" });
    const registered = await registry.register(agent("kite-4"), true);
    expect(registered).toMatchObject({ provisioning: false, allocatedTo: "task:t1", activity: "busy", health: "unknown" });
    const beat = await registry.heartbeat("kite-4", "idle");
    expect(beat).toMatchObject({ health: "healthy", activity: "busy", allocatedTo: "task:t1" });
  });

  it("registering over an ordinary row with replace clears its allocation, as before", async () => {
    await registry.register(agent("kite-1"), false);
    await registry.heartbeat("kite-1", "idle");
    await registry.tryAllocate("kite", "someone");
    const again = await registry.register(agent("kite-1"), true);
    expect(again).toMatchObject({ allocatedTo: null, activity: "idle", provisioning: false });
  });

  it("releasing a reservation's holder leaves it busy (provisioning), then idle once registered", async () => {
    await insertReservation(database.db, { name: "kite-5", pool: "kite", labels: {}, holder: "gone" });
    const released = await registry.release("kite-5", "gone");
    expect(released).toMatchObject({ allocatedTo: null, activity: "busy", provisioning: true });
    expect((await registry.register(agent("kite-5"), true)).activity).toBe("idle");
  });

  it("the next ordinal is the highest kite-N of any pool plus one", async () => {
    expect(await highestOrdinal(database.db, "kite")).toBe(0);
    await registry.register(agent("kite-2"), false);
    await registry.register({ ...agent("kite-9"), pool: "other" }, false);
    await registry.register(agent("kite-x"), false);
    await registry.register(agent("kitelike-12"), false);
    expect(await highestOrdinal(database.db, "kite")).toBe(9);
  });
});
