import type { PostgresCursorConstructor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";
import type pg from "pg";
import { PREPARED_MARK } from "./prepared-statement.js";

/**
 * The pool kysely gets on real Postgres: as `pool`, except that a statement
 * whose text starts with the prepared mark (`/* prepared:NAME *\/`, see
 * markPrepared) goes out as the named prepared statement NAME, parsed and
 * planned once per pooled connection, so repeated runs send only
 * Bind/Execute. Everything else passes through unchanged. This is how a
 * statement inside a kysely transaction (which owns its connection) is
 * prepared: the hot scheduler and mailbox paths run several per commit.
 */
export function namedStatementPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      return {
        query<R>(text: string | InstanceType<PostgresCursorConstructor>, values?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
          if (typeof text === "string" && text.startsWith(PREPARED_MARK)) {
            const end = text.indexOf(" */", PREPARED_MARK.length);
            // The text without the mark: the same statement run through DatabaseHandle.run has the same name and text.
            if (end > 0) return query({ name: text.slice(PREPARED_MARK.length, end), text: text.slice(end + 4), values }) as Promise<PostgresQueryResult<R>>;
          }
          return query(text, values) as Promise<PostgresQueryResult<R>>;
        },
        release: () => client.release(),
      } as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}
