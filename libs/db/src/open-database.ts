import type { DatabaseConfig } from "./database-config.js";
import type { DatabaseHandle } from "./database-handle.js";
import { openPglite } from "./open-pglite.js";
import { openPostgres } from "./open-postgres.js";

/**
 * Opens real Postgres when `config.url` is set, else embedded PGlite at
 * `config.dataDir`. Does NOT migrate: call `migrateToLatest(handle.db)`
 * (services at start, or the migration Job). Types read the same on both
 * backends: timestamptz → Date, int8/bigserial → decimal string, jsonb →
 * parsed JSON.
 */
export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  return config.url ? openPostgres({ ...config, url: config.url }) : openPglite(config);
}
