import { classifyDatabaseError, TransactionConflictError } from "@orchestrator/errors";
import type { Kysely, Transaction } from "kysely";

/** Options of inTransaction. */
export interface InTransactionOptions {
  /**
   * Tries in all, the first included, before a conflict becomes
   * TransactionConflictError (ABORTED).
   * @default 5
   */
  readonly maxAttempts?: number;
}

const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Runs `work` in one transaction and commits it; retries the whole
 * transaction (fresh snapshot, short jittered pause) when Postgres aborted it
 * for a serialization failure (40001) or a deadlock (40P01), which concurrent
 * replicas can provoke, at most `maxAttempts` times in all; then throws
 * TransactionConflictError (ABORTED, reason `transaction_conflict`). Any
 * other error is thrown as is. `work` must only touch the database through
 * `tx` and must not call other services (PGlite has one connection, and a
 * held transaction must stay short).
 */
export async function inTransaction<DB, T>(db: Kysely<DB>, work: (tx: Transaction<DB>) => Promise<T>, options: InTransactionOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (err) {
      const classified = classifyDatabaseError(err);
      if (!(classified instanceof TransactionConflictError)) throw err;
      if (attempt >= maxAttempts) throw new TransactionConflictError(classified.sqlState, attempt, { cause: err });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));
    }
  }
}
