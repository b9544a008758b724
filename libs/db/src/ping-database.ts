import { sql, type Kysely } from "kysely";

/** One `SELECT 1` round trip: resolves when the database answers (readiness probes). */
export async function pingDatabase<DB>(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}
