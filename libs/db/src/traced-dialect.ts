import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type TransactionSettings,
} from "kysely";
import { TracedConnection } from "./traced-connection.js";

/**
 * A Dialect decorator that makes every query a `db.query` CLIENT span (see
 * `TracedConnection`), for pg and PGlite alike. `namespace` is the database
 * name reported as `db.namespace`.
 */
export class TracedDialect implements Dialect {
  constructor(
    private readonly inner: Dialect,
    private readonly namespace: string,
  ) {}

  createAdapter(): DialectAdapter {
    return this.inner.createAdapter();
  }

  createDriver(): Driver {
    return new TracedDriver(this.inner.createDriver(), this.namespace);
  }

  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return this.inner.createIntrospector(db);
  }
}

/**
 * Hands out TracedConnections and unwraps them again for the inner driver's
 * release. Transaction statements (begin, commit, savepoints) go through the
 * traced connection, so they are spans too. Savepoints fall back to plain
 * SQL when the inner driver lacks them (kysely-pglite-dialect does).
 */
class TracedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly namespace: string,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new TracedConnection(await this.inner.acquireConnection(), this.namespace);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  async savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler["compileQuery"]): Promise<void> {
    if (this.inner.savepoint) return this.inner.savepoint(connection, name, compileQuery);
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdentifier(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler["compileQuery"]): Promise<void> {
    if (this.inner.rollbackToSavepoint) return this.inner.rollbackToSavepoint(connection, name, compileQuery);
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdentifier(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler["compileQuery"]): Promise<void> {
    if (this.inner.releaseSavepoint) return this.inner.releaseSavepoint(connection, name, compileQuery);
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdentifier(name)}`));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection instanceof TracedConnection ? connection.inner : connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** `"name"` with embedded quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
