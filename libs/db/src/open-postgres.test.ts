import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseAdminUrl, type TestDatabase } from "./create-test-database.js";

describe.skipIf(!testDatabaseAdminUrl())("openPostgres: a backend that goes away", () => {
  let handle: TestDatabase;
  let admin: pg.Client;
  beforeAll(async () => {
    handle = await createTestDatabase();
    admin = new pg.Client({ connectionString: testDatabaseAdminUrl() });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await handle.close();
  });

  it("fails the transaction that held it, keeps the process alive, and the next statement runs on a fresh connection", async () => {
    const crashes: unknown[] = [];
    const onUncaught = (err: unknown) => crashes.push(err);
    process.on("uncaughtException", onUncaught);
    try {
      const attempt = handle.db.transaction().execute(async (tx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
        // Checked out and between two statements, as a run's step is between its claim and its insert.
        await admin.query("select pg_terminate_backend($1)", [rows[0]!.pid]);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await sql`select 1`.execute(tx);
      });
      await expect(attempt).rejects.toThrow();
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
      expect(rows).toEqual([{ one: 1 }]);
      expect(crashes).toEqual([]);
    } finally {
      process.off("uncaughtException", onUncaught);
    }
  });
});
