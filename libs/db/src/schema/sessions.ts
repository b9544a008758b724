import type { ColumnType, Generated } from "kysely";
import type { Int8, Int8WithDefault, Json, JsonWithDefault, NullableTimestamp, Nullable, TimestampWithDefault } from "./column-types.js";

/** `sessions.state`: open sessions accept sends; closed and expired ones are kept until purged. */
export type SessionStateName = "open" | "closed" | "expired";

/** Table `sessions` (migration 0002): router sessions pinned to instances. */
export interface SessionsTable {
  /** Primary key, chosen by the caller (`session1`) or generated. */
  id: string;
  /** sha256 (hex) of the session's bearer token; the token itself is never stored. */
  token_hash: string;
  /** The instance the session is pinned to now. */
  instance: string;
  /** The pool failover picks from. */
  pool: string;
  /** Selectors given at spawn (JSON array of strings; write as JSON text). @default [] */
  selectors: JsonWithDefault<string[]>;
  /** Passed to the instance on every send. @default {} */
  metadata: JsonWithDefault<Record<string, string>>;
  /** @default "open" */
  state: Generated<SessionStateName>;
  /** Sequence of the last written entry; 0 before the first. @default "0" */
  last_sequence: Int8WithDefault;
  /** Idle time to live, ms. */
  ttl_ms: Int8;
  /** Times the session moved to another instance. @default 0 */
  failovers: Generated<number>;
  created_at: TimestampWithDefault;
  last_activity_at: TimestampWithDefault;
  /** last_activity_at + ttl; open sessions past it are expired. */
  expires_at: ColumnType<Date, Date | string, Date | string>;
  closed_at: NullableTimestamp;
  /** Who holds the send lease (a router process's send id); null when free. */
  lease_holder: Nullable<string>;
  /** When an abandoned lease may be taken over. */
  lease_expires_at: NullableTimestamp;
}

/** Table `session_entries` (migration 0002): a session's history, one row per delivered send. */
export interface SessionEntriesTable {
  session_id: string;
  /** 1, 2, ... per session, without gaps (primary key with session_id). */
  sequence: Int8;
  /** What was sent (any JSON; write as JSON text). */
  data: Json<unknown>;
  /** What the instance answered (any JSON; write as JSON text). */
  result: Json<unknown>;
  /** The instance that served it. */
  instance: string;
  at: TimestampWithDefault;
}
