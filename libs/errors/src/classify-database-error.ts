import type { DomainError } from "./domain-error.js";
import { DatabaseUnavailableError, TransactionConflictError } from "./database-errors.js";

/** Socket errors of a database connection that mean "cannot reach it now". */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED", "ENOTFOUND", "EAI_AGAIN"]);

/**
 * SQLSTATEs of an unreachable or restarting server: class 08 (connection
 * exception), 57P01 admin_shutdown ("terminating connection due to
 * administrator command"), 57P02 crash_shutdown, 57P03 cannot_connect_now
 * ("the database system is shutting down / starting up"), 53300
 * too_many_connections.
 */
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/** SQLSTATEs a retried transaction may get past: serialization_failure, deadlock_detected. */
export const CONFLICT_SQLSTATES: ReadonlySet<string> = new Set(["40001", "40P01"]);

/** Driver messages without a code (pg, pg-pool, PGlite) that mean the connection is gone. */
const UNAVAILABLE_MESSAGES: ReadonlyArray<[RegExp, string]> = [
  [/timeout exceeded when trying to connect/i, "pool timeout"],
  [/Connection terminated/i, "connection terminated"],
  [/not queryable/i, "connection closed"],
  [/Client was closed/i, "connection closed"],
  [/Cannot use a pool after calling end/i, "pool closed"],
  [/PGlite is closed/i, "pglite closed"],
];

/**
 * The one classifier of database driver errors (pg, pg-pool, PGlite),
 * looking through `cause` and AggregateError members:
 * a DatabaseUnavailableError when the database cannot be reached now, a
 * TransactionConflictError (attempts 1) for 40001/40P01, else undefined (a
 * bug or a constraint: the caller decides). Pure: it reads `code`,
 * `message` and `cause`, so it needs no driver import.
 */
export function classifyDatabaseError(err: unknown): DomainError | undefined {
  return classify(err, 0);
}

function classify(err: unknown, depth: number): DomainError | undefined {
  if (depth > 4 || typeof err !== "object" || err === null) return undefined;
  if (err instanceof DatabaseUnavailableError || err instanceof TransactionConflictError) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) {
      return new DatabaseUnavailableError(code, { cause: err });
    }
    if (CONFLICT_SQLSTATES.has(code)) return new TransactionConflictError(code, 1, { cause: err });
  }
  const message = (err as { message?: unknown }).message;
  if (typeof message === "string") {
    for (const [pattern, condition] of UNAVAILABLE_MESSAGES) {
      if (pattern.test(message)) return new DatabaseUnavailableError(condition, { cause: err });
    }
  }
  for (const inner of (err as { errors?: unknown }).errors instanceof Array ? (err as { errors: unknown[] }).errors : []) {
    const found = classify(inner, depth + 1);
    if (found) return found;
  }
  return classify((err as { cause?: unknown }).cause, depth + 1);
}
