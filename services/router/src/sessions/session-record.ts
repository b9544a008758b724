import type { JsonValue } from "@bufbuild/protobuf";
import type { Database, SessionStateName } from "@orchestrator/db";
import type { Selectable } from "kysely";

/** A session as the service layer sees it. */
export interface SessionRecord {
  readonly id: string;
  /** The instance the session is pinned to now. */
  readonly instance: string;
  readonly pool: string;
  /** Selectors given at spawn. */
  readonly selectors: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly state: SessionStateName;
  /** Sequence of the last delivered send; 0n before the first. */
  readonly lastSequence: bigint;
  readonly ttlMs: number;
  readonly failovers: number;
  readonly createdAt: Date;
  readonly lastActivityAt: Date;
  readonly expiresAt: Date;
  readonly closedAt: Date | null;
}

/** One delivered send of a session. */
export interface SessionEntryRecord {
  readonly sequence: bigint;
  readonly data: JsonValue;
  readonly result: JsonValue;
  readonly instance: string;
  readonly at: Date;
}

type SessionRow = Selectable<Database["sessions"]>;
type EntryRow = Selectable<Database["session_entries"]>;

const json = <T>(value: unknown): T => (typeof value === "string" ? JSON.parse(value) : value) as T;

/** A `sessions` row → SessionRecord. */
export function sessionFromRow(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    instance: row.instance,
    pool: row.pool,
    selectors: json<string[]>(row.selectors),
    metadata: json<Record<string, string>>(row.metadata),
    state: row.state,
    lastSequence: BigInt(row.last_sequence),
    ttlMs: Number(row.ttl_ms),
    failovers: row.failovers,
    createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
    expiresAt: row.expires_at,
    closedAt: row.closed_at,
  };
}

/** A `session_entries` row → SessionEntryRecord. */
export function entryFromRow(row: EntryRow): SessionEntryRecord {
  return {
    sequence: BigInt(row.sequence),
    data: row.data as JsonValue,
    result: row.result as JsonValue,
    instance: row.instance,
    at: row.at,
  };
}
