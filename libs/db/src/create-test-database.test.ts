import pg from "pg";
import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseAdminUrl } from "./create-test-database.js";

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: testDatabaseAdminUrl() });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

// Two databases per case; on PGlite without the run's template (a file run alone), two initdb start-ups: over 30 s on a loaded machine.
describe("createTestDatabase", { timeout: 180_000 }, () => {
  it("gives each call its own migrated database", async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    try {
      await a.db.insertInto("instances").values({ name: "A", address: "127.0.0.1:1", kind: "service" }).execute();
      expect(await a.db.selectFrom("instances").select("name").execute()).toEqual([{ name: "A" }]);
      expect(await b.db.selectFrom("instances").select("name").execute()).toEqual([]);
      expect(a.kind).toBe(testDatabaseAdminUrl() ? "postgres" : "pglite");
      if (a.url) expect(a.url).not.toBe(b.url);
      else expect(b.url).toBeUndefined();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it.skipIf(!testDatabaseAdminUrl())("creates orch_t_* on the server and drops it on close", async () => {
    const handle = await createTestDatabase();
    const name = new URL(handle.url!).pathname.slice(1);
    expect(name).toMatch(/^orch_t_[0-9a-f]+$/);
    expect(await databaseExists(name)).toBe(true);
    await handle.listen("keeps_a_session_open", () => {});
    await handle.close();
    await handle.close(); // idempotent
    expect(await databaseExists(name)).toBe(false);
  });
});
