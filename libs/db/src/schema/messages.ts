import type { ColumnType, Generated } from "kysely";
import type { Int8, Int8WithDefault, Nullable, NullableTimestamp, TimestampWithDefault } from "./column-types.js";

/** `messages.type`: what a message means to its recipient. */
export type MessageTypeName = "status" | "dispatch" | "worker_done" | "merge_ready" | "escalation" | "handoff" | "decision_gate";
/** `messages.priority`: urgent ones are checked first, then high, then normal. */
export type MessagePriorityName = "normal" | "high" | "urgent";

/**
 * Table `messages` (migration 0003): one row per recipient of a send.
 * `(to_handle, seq)` is unique; `seq` comes from `mailbox_heads`.
 */
export interface MessagesTable {
  /** bigserial row id (retention deletes in batches by it), read as a decimal string. */
  id: Int8WithDefault;
  /** Public id (UUID) that Reply and MarkRead take. @default gen_random_uuid() */
  message_id: Generated<string>;
  to_handle: string;
  /** Position in the recipient's mailbox, gap-free in commit order. */
  seq: Int8;
  thread_id: string;
  from_handle: string;
  /** The address used: the handle, or the group/selector it was resolved from. */
  sent_to: string;
  type: MessageTypeName;
  priority: MessagePriorityName;
  subject: string;
  /** @default "" */
  body: Generated<string>;
  /** Any JSON value (a `json` column: the sender's key order is kept), written as JSON text; null when none. */
  payload: ColumnType<unknown, string | null | undefined, string | null>;
  /** The message this one answers. */
  in_reply_to: Nullable<string>;
  created_at: TimestampWithDefault;
  /** Null while unread. */
  read_at: NullableTimestamp;
}

/** Table `mailbox_heads` (migration 0003): each handle's last sequence number; never deleted. */
export interface MailboxHeadsTable {
  handle: string;
  last_seq: Int8;
}
