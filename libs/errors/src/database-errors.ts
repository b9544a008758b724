import { DomainError } from "./domain-error.js";

/**
 * The database cannot be reached now (connection refused or reset, the
 * server shutting down or starting up, no pooled connection in time).
 * UNAVAILABLE, reason `database_unavailable`: the call did nothing and may be
 * retried. `cause` keeps the driver's error for logs; clients never see it.
 */
export class DatabaseUnavailableError extends DomainError {
  constructor(
    /** What the driver said, in short (`ECONNREFUSED`, `57P01`, `pool timeout`). */
    readonly condition: string,
    options?: { cause?: unknown },
  ) {
    super("unavailable", "database_unavailable", "the database is unavailable; retry later", { condition });
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/**
 * Postgres aborted the transaction for a serialization failure (40001) or a
 * deadlock (40P01) and the service's bounded retries ran out. ABORTED,
 * reason `transaction_conflict`: nothing was written; retry the call.
 */
export class TransactionConflictError extends DomainError {
  constructor(
    /** The SQLSTATE: 40001 or 40P01. */
    readonly sqlState: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    const what = sqlState === "40P01" ? "a deadlock" : "a serialization failure";
    super("aborted", "transaction_conflict", `the transaction was aborted by ${what} (${attempts} attempts); retry`, {
      sql_state: sqlState,
      attempts: String(attempts),
    });
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
