import { Migrator, type Kysely, type Migration } from "kysely";
import { migrations } from "./migrations/index.js";

/** A migration failed; the transaction holding every migration of the run was rolled back. */
export class MigrationFailedError extends Error {
  override readonly name = "MigrationFailedError";
  constructor(
    /** The failing migration, or undefined when the run failed before any (e.g. the lock). */
    readonly migrationName: string | undefined,
    options: { cause: unknown },
  ) {
    const detail = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(migrationName ? `migration ${migrationName} failed: ${detail}` : `migrations failed: ${detail}`, options);
  }
}

/**
 * Runs every pending migration (`migrations/index.ts`) and returns the names
 * applied, in order (empty when already up to date). On Postgres they run in
 * one transaction under kysely's migration lock (a session advisory lock), so
 * replicas may call this concurrently at start: one applies, the others wait
 * and apply nothing. Throws `MigrationFailedError` naming the failing one.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return migrateListToLatest(db, migrations);
}

/** `migrateToLatest` over a given list (tests use it to exercise failures). */
export async function migrateListToLatest(db: Kysely<any>, list: Readonly<Record<string, Migration>>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...list }) } });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === "Error");
    throw new MigrationFailedError(failed?.migrationName, { cause: error });
  }
  return results.filter((r) => r.status === "Success").map((r) => r.migrationName);
}
