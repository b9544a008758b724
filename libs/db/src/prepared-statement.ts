import { CompiledQuery, type Kysely, type Transaction } from "kysely";

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

/**
 * Runs statements through kysely as plain (unnamed) statements: inside a
 * transaction, or on PGlite, where the one connection is kysely's to share.
 */
export function runThrough(db: Kysely<any> | Transaction<any>): RunStatement {
  return async <R>(statement: PreparedStatement, values: readonly unknown[]) =>
    (await db.executeQuery<R>(CompiledQuery.raw(statement.text, [...values]))).rows as R[];
}
