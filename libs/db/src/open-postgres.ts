import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { DEFAULT_APPLICATION_NAME, listenerApplicationName, type DatabaseConfig } from "./database-config.js";
import type { DatabaseHandle } from "./database-handle.js";
import { namedStatementPool } from "./named-statement-pool.js";
import { PgListener } from "./pg-listener.js";
import type { PreparedStatement } from "./prepared-statement.js";
import type { Database } from "./schema/database.js";
import { recordError, startQuerySpan } from "./traced-connection.js";
import { TracedDialect } from "./traced-dialect.js";

const INT8_OID = 20;

/**
 * Type parsers of every pool client: pg's defaults (timestamptz → Date,
 * jsonb → parsed), with int8 pinned to the decimal string. Pinned here, not
 * through the process-wide `pg.types.setTypeParser`, so no other library can
 * change how ids and versions read.
 */
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID ? (value: string) => value : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

/** Opens a pg Pool (`max: poolMax`) behind a traced kysely; the listener connects on first `listen`. */
export async function openPostgres(config: DatabaseConfig & { url: string }): Promise<DatabaseHandle> {
  const applicationName = config.applicationName ?? DEFAULT_APPLICATION_NAME;
  const onError = config.onError ?? (() => {});
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolMax ?? 10,
    connectionTimeoutMillis: config.connectTimeoutMs ?? 10_000,
    application_name: applicationName,
    types: pgTypes,
  });
  // An idle client whose backend goes away emits on the pool; unhandled, it would crash the process.
  pool.on("error", onError);
  // So does a client checked out at that moment (inside a transaction, between two statements or during one): the
  // pool takes its own listener off while a client is out, and pg emits 'error' on the client, which would end the
  // process (seen when Postgres stops under load). The statement or the next one fails and says so to its caller; the
  // pool drops the broken client when it comes back.
  pool.on("connect", (client) => client.on("error", ignoreCheckedOutError));
  const namespace = databaseName(config.url);
  const db = new Kysely<Database>({ dialect: new TracedDialect(new PostgresDialect({ pool: namedStatementPool(pool) }), namespace) });
  const listener = new PgListener({ url: config.url, applicationName: listenerApplicationName(applicationName), onError });
  let closed: Promise<void> | undefined;
  return Object.freeze({
    db,
    kind: "postgres" as const,
    run: async <R>(statement: PreparedStatement, values: readonly unknown[]): Promise<R[]> => {
      const span = startQuerySpan(namespace, statement.text);
      try {
        const result = await pool.query({ name: statement.name, text: statement.text, values: [...values] });
        return result.rows as R[];
      } catch (error) {
        recordError(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
    listen: (channel: string, onPayload: (payload: string) => void) => listener.listen(channel, onPayload),
    onReconnect: (callback: () => void) => listener.onReconnect(callback),
    close: () =>
      (closed ??= (async () => {
        await listener.close();
        await db.destroy();
      })()),
  });
}

/** See openPostgres: the failure reaches the statement's caller; this listener only keeps the process alive. */
function ignoreCheckedOutError(): void {}

/** The database a postgres:// URL names (reported as `db.namespace`); Postgres defaults it to the user. */
export function databaseName(url: string): string {
  try {
    const parsed = new URL(url);
    return decodeURIComponent(parsed.pathname.replace(/^\//, "")) || decodeURIComponent(parsed.username) || "postgres";
  } catch {
    return "postgres";
  }
}
