import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import type { Database } from "./schema/database.js";
import type { DatabaseHandle } from "./database-handle.js";
import { migrateToLatest } from "./migrate-to-latest.js";
import { openDatabase } from "./open-database.js";

/** A database of its own for one test (file); `url` is set on real Postgres. */
export type TestDatabase = DatabaseHandle & {
  /** The new database's URL, so a test can open a second replica on it (real Postgres only). */
  readonly url?: string;
};

/** Options of `createTestDatabase`. */
export interface TestDatabaseOptions {
  /** Run the migrations before returning. @default true */
  migrate?: boolean;
}

/**
 * For tests: a fresh isolated database per call. With env DATABASE_URL set
 * (an admin URL): CREATE DATABASE orch_t_<random> on that server, open it
 * (pool of 4), migrate, and DROP DATABASE ... WITH (FORCE) on `close()`.
 * Without it: in-memory PGlite, migrated, loaded from a migrated template
 * (a data directory dump: initdb and the migrations run once, not per
 * database) when PGLITE_TEMPLATE names a dump file writePgliteTemplate
 * made for the test run (vitest's global setup does), else initdb and the
 * migrations per database. The one place in these libs that reads
 * `process.env`.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = testDatabaseAdminUrl();
  if (!adminUrl) {
    const pgliteTemplate = (options.migrate ?? true) ? migratedTemplate() : undefined;
    if (pgliteTemplate) return openDatabase({ dataDir: "memory://", pgliteTemplate });
    return prepare(await openDatabase({ dataDir: "memory://" }), options);
  }
  const name = `orch_t_${randomBytes(8).toString("hex")}`;
  await admin(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = () => admin(adminUrl, `drop database if exists ${name} with (force)`);
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase({ url: url.toString(), poolMax: 4, applicationName: "orchestrator-test" });
  } catch (error) {
    await drop();
    throw error;
  }
  let closed: Promise<void> | undefined;
  const withDrop: DatabaseHandle = {
    db: handle.db,
    kind: handle.kind,
    run: handle.run,
    listen: handle.listen,
    onReconnect: handle.onReconnect,
    close: () =>
      (closed ??= (async () => {
        try {
          await handle.close();
        } finally {
          await drop();
        }
      })()),
  };
  return { ...(await prepare(withDrop, options)), url: url.toString() };
}

/**
 * The admin URL `createTestDatabase` creates databases through (env
 * DATABASE_URL), or undefined when tests run on in-memory PGlite. Lets a
 * test skip what only real Postgres can show (several connections).
 */
export function testDatabaseAdminUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

async function prepare(handle: DatabaseHandle, options: TestDatabaseOptions): Promise<DatabaseHandle> {
  if (options.migrate ?? true) {
    try {
      await migrateToLatest(handle.db);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
  return handle;
}

let template: Blob | undefined;

/** The test run's migrated PGlite template (PGLITE_TEMPLATE), read once per process; undefined without one. */
function migratedTemplate(): Blob | undefined {
  const file = process.env.PGLITE_TEMPLATE;
  if (!file || !existsSync(file)) return undefined;
  template ??= new Blob([readFileSync(file)]);
  return template;
}

/** A fresh in-memory PGlite, migrated to the latest schema, dumped (uncompressed tar). */
async function dumpMigrated(): Promise<Blob> {
  const pglite = await PGlite.create("memory://");
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  try {
    await migrateToLatest(db);
    return await pglite.dumpDataDir("none");
  } finally {
    await db.destroy();
  }
}

/**
 * Writes the migrated PGlite template to `file` (a test run's global setup
 * does, and sets PGLITE_TEMPLATE to it for every test process).
 */
export async function writePgliteTemplate(file: string): Promise<void> {
  writeFileSync(file, Buffer.from(await (await dumpMigrated()).arrayBuffer()));
}

/** Runs one statement on a short-lived admin connection. */
async function admin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, application_name: "orchestrator-test-admin" });
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
