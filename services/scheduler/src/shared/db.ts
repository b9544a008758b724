import type { Database } from "@orchestrator/db";
import type { Kysely, Transaction } from "kysely";

/** A database handle or an open transaction: what repository functions take first. */
export type Db = Kysely<Database> | Transaction<Database>;

/** An open transaction (functions that must run inside one). */
export type Tx = Transaction<Database>;

/** JSON text for a jsonb column; undefined stays undefined (the column keeps its default). */
export function jsonText(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}
