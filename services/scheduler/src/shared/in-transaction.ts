import type { Database } from "@orchestrator/db";
import type { Kysely } from "kysely";
import type { Tx } from "./db.js";

/** SQLSTATEs worth a retry: serialization_failure, deadlock_detected. */
const RETRYABLE = new Set(["40001", "40P01"]);
const MAX_TRIES = 8;

/**
 * Runs `work` in one transaction and commits it; retries the whole
 * transaction (fresh snapshot) when Postgres aborted it for a deadlock or a
 * serialization failure, which concurrent replicas can provoke. `work` must
 * only touch the database through `tx` and must not call other services
 * (PGlite has one connection, and a held transaction must stay short).
 */
export async function inTransaction<T>(db: Kysely<Database>, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (attempt >= MAX_TRIES || typeof code !== "string" || !RETRYABLE.has(code)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }
}
