import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PGlite, types } from "@electric-sql/pglite";
import { Kysely } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import type { DatabaseConfig } from "./database-config.js";
import type { DatabaseHandle } from "./database-handle.js";
import { PgliteListener } from "./pglite-listener.js";
import { runThrough } from "./prepared-statement.js";
import type { Database } from "./schema/database.js";
import { TracedDialect } from "./traced-dialect.js";

/** `dataDir` default: under the working directory, ignored by git. */
export const DEFAULT_PGLITE_DATA_DIR = ".orchestrator/pgdata";

/**
 * Opens embedded PGlite (`new PGlite(dataDir)`, parent directories created)
 * behind a traced kysely. int8 reads as a decimal string as on pg (PGlite
 * would give a number). PGlite is ONE connection: kysely queues callers, so
 * code must never need two connections at once.
 */
export async function openPglite(config: DatabaseConfig): Promise<DatabaseHandle> {
  const dataDir = config.dataDir ?? DEFAULT_PGLITE_DATA_DIR;
  const isPath = !/^[a-z]+:\/\//i.test(dataDir);
  if (isPath) mkdirSync(dirname(resolve(dataDir)), { recursive: true });
  const pglite = await PGlite.create(isPath ? resolve(dataDir) : dataDir, {
    parsers: { [types.INT8]: (value: string) => value },
    ...(config.pgliteTemplate ? { loadDataDir: config.pgliteTemplate } : {}),
  });
  const db = new Kysely<Database>({ dialect: new TracedDialect(new PGliteDialect(pglite), "postgres") });
  const listener = new PgliteListener(pglite, db, config.onError ?? (() => {}));
  let closed: Promise<void> | undefined;
  return Object.freeze({
    db,
    kind: "pglite" as const,
    run: runThrough(db),
    listen: (channel: string, onPayload: (payload: string) => void) => listener.listen(channel, onPayload),
    onReconnect: (callback: () => void) => listener.onReconnect(callback),
    close: () =>
      (closed ??= (async () => {
        await listener.close();
        await db.destroy(); // closes PGlite
      })()),
  });
}
