import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseAdminUrl, type TestDatabase } from "./create-test-database.js";
import { migrateListToLatest, migrateToLatest, MigrationFailedError } from "./migrate-to-latest.js";
import { migrations } from "./migrations/index.js";
import { openDatabase } from "./open-database.js";

// Each case starts an unmigrated database (on PGlite: initdb) and runs every migration: over 30 s on a loaded machine.
describe("migrateToLatest", { timeout: 180_000 }, () => {
  const opened: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const handle of opened.splice(0).reverse()) await handle.close();
  });
  async function fresh(): Promise<TestDatabase> {
    const handle = await createTestDatabase({ migrate: false });
    opened.push(handle);
    return handle;
  }

  it("applies every migration once; a second run is a no-op", async () => {
    const { db } = await fresh();
    expect(await migrateToLatest(db)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(db)).toEqual([]);
    const tables = await db.introspection.getTables();
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["instances", "health_transitions"]));
  });

  it("creates the indexes and CHECK constraints of 0001", async () => {
    const { db } = await fresh();
    await migrateToLatest(db);
    const indexes = await sql<{ indexdef: string }>`
      select indexdef from pg_indexes where tablename in ('instances', 'health_transitions') order by indexname`.execute(db);
    expect(indexes.rows.map((r) => r.indexdef)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/ON public\.health_transitions USING btree \(name, at DESC\)/),
        expect.stringMatching(/ON public\.instances USING btree \(pool, activity, health\)/),
      ]),
    );
    const checks = await sql<{ conname: string }>`
      select conname from pg_constraint where conrelid = 'instances'::regclass and contype = 'c' order by conname`.execute(db);
    expect(checks.rows.map((r) => r.conname)).toEqual([
      "instances_activity_check",
      "instances_health_check",
      "instances_kind_check",
      "instances_labels_check",
      "instances_probe_mode_check",
    ]);
  });

  it("throws MigrationFailedError naming the failing migration, and rolls the run back", async () => {
    const { db } = await fresh();
    const list = {
      ...migrations,
      "9999-broken": { up: async (d: Kysely<any>) => void (await sql`select * from no_such_table`.execute(d)) },
    };
    const error = await migrateListToLatest(db, list).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationFailedError);
    expect((error as MigrationFailedError).migrationName).toBe("9999-broken");
    expect((error as Error).message).toMatch(/9999-broken.*no_such_table/);
    // One transaction for the whole run: 0001 was rolled back with it.
    const tables = await db.introspection.getTables();
    expect(tables.map((t) => t.name)).not.toContain("instances");
  });

  it.skipIf(!testDatabaseAdminUrl())("runs concurrently from two replicas on real Postgres (migration lock)", async () => {
    const { url } = await fresh();
    const a = await openDatabase({ url: url! });
    opened.push(a);
    const b = await openDatabase({ url: url! });
    opened.push(b);
    const [fromA, fromB] = await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)]);
    expect([...fromA, ...fromB]).toEqual(Object.keys(migrations));
    const applied = await a.db.selectFrom("kysely_migration" as never).select(sql<string>`name`.as("name")).execute();
    expect(applied.map((r) => (r as { name: string }).name)).toEqual(Object.keys(migrations));
  });
});
