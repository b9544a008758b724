import { CompiledQuery, type Kysely, type RawBuilder, type Transaction } from "kysely";

/**
 * A statement a hot path runs again and again, with positional parameters
 * (`$1`, `$2`, ...). Through `DatabaseHandle.run` on real Postgres it is a
 * named prepared statement: parsed and planned once per pooled connection,
 * so later runs send only Bind/Execute and skip kysely's query pipeline.
 * Keep the text constant (variants are separate statements) and the name
 * unique per text within the process: pg refuses one name for two texts.
 */
export interface PreparedStatement {
  /** Statement name on the server: 1-63 bytes of `[a-z0-9_]`. */
  readonly name: string;
  readonly text: string;
}

/** Runs a PreparedStatement with its parameters and returns its rows. */
export type RunStatement = <R>(statement: PreparedStatement, values: readonly unknown[]) => Promise<R[]>;

/** Declares a PreparedStatement; throws RangeError on a name Postgres would mangle. */
export function preparedStatement(name: string, text: string): PreparedStatement {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new RangeError(`invalid prepared statement name ${JSON.stringify(name)}: 1-63 of [a-z0-9_], starting with a letter`);
  return Object.freeze({ name, text });
}

/** Starts the text of a statement kysely should send as a named prepared statement (see namedStatementPool). */
export const PREPARED_MARK = "/* prepared:";

/** `text` marked to go out as the prepared statement `name` on real Postgres (a comment to anyone else). */
export function markPrepared(name: string, text: string): string {
  return `${PREPARED_MARK}${name} */ ${text}`;
}

/**
 * Runs statements through kysely: inside a transaction (which owns its
 * connection) or on PGlite (one connection, kysely's to share). They are
 * marked, so on real Postgres they still go out as named prepared
 * statements on the transaction's connection.
 */
export function runThrough(db: Kysely<any> | Transaction<any>): RunStatement {
  return async <R>(statement: PreparedStatement, values: readonly unknown[]) =>
    (await db.executeQuery<R>(CompiledQuery.raw(markPrepared(statement.name, statement.text), [...values]))).rows as R[];
}

/**
 * Executes a kysely `sql` query (or a compiled query builder) as a named prepared statement on real
 * Postgres (planned once per connection; unnamed elsewhere): for statements
 * a hot path runs in every transaction. The name is `prefix` plus a hash of
 * the compiled text, so each shape of the query (an IN list of another
 * length, say) is its own statement and one name never meets two texts.
 */
export async function executePrepared<R>(db: Kysely<any> | Transaction<any>, prefix: string, query: RawBuilder<R> | CompiledQuery<R>): Promise<R[]> {
  const compiled = "compile" in query ? query.compile(db) : query;
  const name = `${prefix}_${fnv1a(compiled.sql)}`;
  return (await db.executeQuery<R>(CompiledQuery.raw(markPrepared(name, compiled.sql), [...compiled.parameters]))).rows as R[];
}

/** 32-bit FNV-1a of `text`, base 36 (statement names: short, stable, collision-safe enough for a process's few dozen texts). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
