import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./create-test-database.js";
import { migrateToLatest } from "./migrate-to-latest.js";
import { openDatabase } from "./open-database.js";
import { databaseName } from "./open-postgres.js";

describe("openDatabase", () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(async () => {
    await handle.close();
  });

  it("reads jsonb labels back as objects, written as object or JSON text", async () => {
    await handle.db
      .insertInto("instances")
      .values([
        { name: "obj", address: "h:1", kind: "service", labels: { zone: "a", tier: "gold" } },
        { name: "txt", address: "h:2", kind: "agent", labels: JSON.stringify({ zone: "b" }) },
        { name: "dflt", address: "h:3", kind: "agent" },
      ])
      .execute();
    const rows = await handle.db.selectFrom("instances").select(["name", "labels"]).orderBy("name").execute();
    expect(rows).toEqual([
      { name: "dflt", labels: {} },
      { name: "obj", labels: { zone: "a", tier: "gold" } },
      { name: "txt", labels: { zone: "b" } },
    ]);
    await handle.db.updateTable("instances").set({ labels: { zone: "c" } }).where("name", "=", "txt").execute();
    const updated = await handle.db.selectFrom("instances").select("labels").where("name", "=", "txt").executeTakeFirstOrThrow();
    expect(updated.labels).toEqual({ zone: "c" });
  });

  it("applies the column defaults; int8 reads as a string and timestamptz as Date", async () => {
    const row = await handle.db
      .insertInto("instances")
      .values({ name: "defaults", address: "h:9", kind: "service" })
      .returningAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      pool: "default",
      health: "unknown",
      activity: "idle",
      activity_detail: "",
      probe_mode: "grpc",
      allocated_to: null,
      allocated_at: null,
      last_heartbeat_at: null,
      version: "1",
    });
    expect(row.registered_at).toBeInstanceOf(Date);
    expect(row.health_changed_at).toBeInstanceOf(Date);

    const bumped = await handle.db
      .updateTable("instances")
      .set({ version: sql`version + 1` })
      .where("name", "=", "defaults")
      .where("version", "=", row.version)
      .returning("version")
      .executeTakeFirstOrThrow();
    expect(bumped.version).toBe("2");

    const ids = await handle.db
      .insertInto("health_transitions")
      .values([
        { name: "defaults", from_health: "unknown", to_health: "healthy", reason: "probe ok" },
        { name: "defaults", from_health: "healthy", to_health: "down", reason: "3 failed probes" },
      ])
      .returning(["id", "at"])
      .execute();
    expect(ids.map((r) => typeof r.id)).toEqual(["string", "string"]);
    expect(Number(ids[1]!.id) - Number(ids[0]!.id)).toBe(1);
    expect(ids[0]!.at).toBeInstanceOf(Date);
    const count = await handle.db.selectFrom("health_transitions").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    expect(count.n).toBe("2");
  });

  it("enforces the CHECK constraints on enumerated columns", async () => {
    const insert = (values: Record<string, unknown>) =>
      handle.db
        .insertInto("instances")
        .values({ name: `bad-${Object.keys(values)[0]}`, address: "h:1", kind: "service", ...values } as never)
        .execute();
    await expect(insert({ kind: "robot" })).rejects.toThrow(/instances_kind_check/);
    await expect(insert({ health: "sick" })).rejects.toThrow(/instances_health_check/);
    await expect(insert({ activity: "napping" })).rejects.toThrow(/instances_activity_check/);
    await expect(insert({ probe_mode: "ping" })).rejects.toThrow(/instances_probe_mode_check/);
    await expect(insert({ labels: "[]" })).rejects.toThrow(/instances_labels_check/);
  });

  it("names the database in the URL for db.namespace", () => {
    expect(databaseName("postgres://u@h:5432/orders?sslmode=disable")).toBe("orders");
    expect(databaseName("postgres://alice@h:5432")).toBe("alice");
    expect(databaseName("not a url")).toBe("postgres");
  });
});

// Two PGlite start-ups from files (initdb, then a reopen) and the migrations: on a loaded machine that alone took over 30 s.
describe("openDatabase on PGlite files", { timeout: 180_000 }, () => {
  it("creates the data directory's parents and keeps data across reopen", async () => {
    const root = mkdtempSync(join(tmpdir(), "orch-pglite-"));
    const dataDir = join(root, "nested", "deeper", "pgdata");
    try {
      const first = await openDatabase({ dataDir });
      expect(first.kind).toBe("pglite");
      await migrateToLatest(first.db);
      await first.db.insertInto("instances").values({ name: "kept", address: "h:1", kind: "service" }).execute();
      await first.close();
      await first.close(); // idempotent
      expect(existsSync(dataDir)).toBe(true);

      const second = await openDatabase({ dataDir });
      try {
        expect(await migrateToLatest(second.db)).toEqual([]);
        expect(await second.db.selectFrom("instances").select("name").execute()).toEqual([{ name: "kept" }]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
