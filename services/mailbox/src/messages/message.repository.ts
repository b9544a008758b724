import { preparedStatement, type Database, type PreparedStatement, type RunStatement } from "@orchestrator/db";
import { sql, type Kysely, type Selectable, type Transaction } from "kysely";
import type { MessageRecord, MessageType, Priority } from "./message.js";

/** A connection or a transaction: every repository function takes one first. */
export type Db = Kysely<Database> | Transaction<Database>;
/** A message row as MESSAGE_COLUMNS selects it: the payload as its JSON text. */
export type MessageRow = Omit<Selectable<Database["messages"]>, "id" | "payload"> & { payload: string | null };

/**
 * The columns every read selects (and claims return): everything but the
 * row id, with the payload as the exact JSON text stored (so numbers beyond
 * 2^53 and key order survive).
 */
export const MESSAGE_COLUMNS = [
  "messages.message_id",
  "messages.seq",
  "messages.thread_id",
  "messages.from_handle",
  "messages.to_handle",
  "messages.sent_to",
  "messages.type",
  "messages.priority",
  "messages.subject",
  "messages.body",
  "messages.in_reply_to",
  "messages.created_at",
  "messages.read_at",
  sql<string | null>`messages.payload::text`.as("payload"),
] as const;

/** MESSAGE_COLUMNS as SQL text, for the prepared statements of the hot paths (send, wake, follow). */
export const MESSAGE_COLUMNS_SQL = [
  "message_id",
  "seq",
  "thread_id",
  "from_handle",
  "to_handle",
  "sent_to",
  "type",
  "priority",
  "subject",
  "body",
  "in_reply_to",
  "created_at",
  "read_at",
]
  .map((column) => `messages.${column}`)
  .concat("messages.payload::text as payload")
  .join(", ");

/** Maps a row to the service's record: int8 and uuid as strings, payload as JSON text. */
export function toRecord(row: MessageRow): MessageRecord {
  return {
    id: row.message_id,
    seq: String(row.seq),
    threadId: row.thread_id,
    from: row.from_handle,
    to: row.to_handle,
    sentTo: row.sent_to,
    type: row.type,
    priority: row.priority,
    subject: row.subject,
    body: row.body,
    payload: row.payload ?? undefined,
    inReplyTo: row.in_reply_to ?? undefined,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

/** The content of one send, written once per recipient. */
export interface NewMessages {
  /** Distinct recipient handles. */
  readonly recipients: readonly string[];
  readonly threadId: string;
  readonly from: string;
  readonly sentTo: string;
  readonly type: MessageType;
  readonly priority: Priority;
  readonly subject: string;
  readonly body: string;
  /** JSON text (validated), or undefined. */
  readonly payload: string | undefined;
  readonly inReplyTo: string | undefined;
}

interface InsertedRow {
  to_handle: string;
  seq: string;
  message_id: string;
  created_at: Date;
}

/**
 * The send statement: bumps each recipient's head by its number of new
 * messages, in handle order (so concurrent batches lock heads in the same
 * order and never deadlock), inserts every message with its sequence number
 * (a handle's messages numbered in input order), and queues every notice on
 * the channel, sent at commit. Its text never changes with the batch (rows
 * and contents arrive as JSON arrays), so it is prepared once per
 * connection, whatever the batch size.
 */
const INSERT_BATCH: PreparedStatement = preparedStatement(
  "mailbox_insert_batch",
  `with input as (
      select (r.value->>0)::int as s, r.value->>1 as handle, r.ord
      from jsonb_array_elements($1::jsonb) with ordinality as r(value, ord)
    ),
    counts as (select handle, count(*) as n from input group by handle),
    heads as (
      insert into mailbox_heads as h (handle, last_seq)
      select handle, n from counts order by handle
      on conflict (handle) do update set last_seq = h.last_seq + excluded.last_seq
      returning h.handle, h.last_seq
    ),
    numbered as (
      select i.s, i.handle, heads.last_seq - counts.n + row_number() over (partition by i.handle order by i.ord) as seq
      from input as i join counts using (handle) join heads using (handle)
    ),
    contents as (
      select (c.ord - 1)::int as s, c.value as v
      from jsonb_array_elements($2::jsonb) with ordinality as c(value, ord)
    ),
    inserted as (
      insert into messages (to_handle, seq, thread_id, from_handle, sent_to, type, priority, subject, body, payload, in_reply_to)
      select n.handle, n.seq, c.v->>'threadId', c.v->>'from', c.v->>'sentTo', c.v->>'type', c.v->>'priority',
             c.v->>'subject', c.v->>'body', (c.v->>'payload')::json, (c.v->>'inReplyTo')::uuid
      from numbered as n join contents as c using (s)
      returning to_handle, seq, message_id, created_at
    ),
    notified as (
      select pg_notify($3::text, n.payload) from jsonb_array_elements_text($4::jsonb) as n(payload)
    )
    select i.to_handle, i.seq::text as seq, i.message_id::text as message_id, i.created_at, (select count(*) from notified) as notices
    from inserted as i`,
);

/**
 * The send statement of the commonest batch: one send to one handle with one
 * notice (a send on an idle replica, a Reply). Same effect as INSERT_BATCH
 * (head bumped by one, the message inserted with the new seq, the notice
 * sent at commit), without the JSON unpacking, grouping and joins a batch
 * needs, which cost Postgres about as much CPU again as the insert itself.
 * Parameters: $1 handle, $2 thread id, $3 from, $4 sent to, $5 type,
 * $6 priority, $7 subject, $8 body, $9 payload (JSON text or null),
 * $10 in reply to (or null), $11 channel, $12 notice.
 */
const INSERT_ONE: PreparedStatement = preparedStatement(
  "mailbox_insert_one",
  `with head as (
      insert into mailbox_heads as h (handle, last_seq) values ($1, 1)
      on conflict (handle) do update set last_seq = h.last_seq + 1
      returning h.last_seq
    ),
    inserted as (
      insert into messages (to_handle, seq, thread_id, from_handle, sent_to, type, priority, subject, body, payload, in_reply_to)
      select $1, head.last_seq, $2, $3, $4, $5, $6, $7, $8, $9::json, $10::uuid from head
      returning to_handle, seq, message_id, created_at
    )
    select i.to_handle, i.seq::text as seq, i.message_id::text as message_id, i.created_at, pg_notify($11::text, $12::text) as notified
    from inserted as i`,
);

/**
 * Writes several sends in ONE statement (one round trip, one commit unless
 * `run` runs inside a transaction; see INSERT_BATCH, or INSERT_ONE for a
 * lone send to one handle), with `notices` sent on `channel` at commit.
 * Returns each send's records, in its `recipients` order.
 */
export async function insertBatch(
  run: RunStatement,
  sends: readonly NewMessages[],
  channel: string,
  notices: readonly string[],
): Promise<MessageRecord[][]> {
  const lone = sends.length === 1 && sends[0]!.recipients.length === 1 && notices.length === 1 ? sends[0]! : undefined;
  if (lone) {
    const [row] = await run<InsertedRow>(INSERT_ONE, [
      lone.recipients[0],
      lone.threadId,
      lone.from,
      lone.sentTo,
      lone.type,
      lone.priority,
      lone.subject,
      lone.body,
      lone.payload ?? null,
      lone.inReplyTo ?? null,
      channel,
      notices[0],
    ]);
    if (!row) throw new Error(`send wrote no message for "${lone.recipients[0]}"`);
    return [[toNewRecord(lone, row)]];
  }
  const rows = sends.flatMap((send, s) => send.recipients.map((handle) => [s, handle]));
  const contents = sends.map((send) => ({
    threadId: send.threadId,
    from: send.from,
    sentTo: send.sentTo,
    type: send.type,
    priority: send.priority,
    subject: send.subject,
    body: send.body,
    payload: send.payload ?? null,
    inReplyTo: send.inReplyTo ?? null,
  }));
  const inserted = await run<InsertedRow>(INSERT_BATCH, [JSON.stringify(rows), JSON.stringify(contents), channel, JSON.stringify(notices)]);

  // A handle's rows were numbered in input order: hand them back in that order.
  const byHandle = new Map<string, InsertedRow[]>();
  for (const row of inserted) {
    const list = byHandle.get(row.to_handle) ?? [];
    list.push(row);
    byHandle.set(row.to_handle, list);
  }
  for (const list of byHandle.values()) list.sort((x, y) => (BigInt(x.seq) < BigInt(y.seq) ? -1 : 1));
  return sends.map((send) =>
    send.recipients.map((handle) => {
      const row = byHandle.get(handle)?.shift();
      if (!row) throw new Error(`send wrote no message for "${handle}"`);
      return toNewRecord(send, row);
    }),
  );
}

/** The record of a message just written: the send's content with the row's id, seq and time. */
function toNewRecord(send: NewMessages, row: InsertedRow): MessageRecord {
  return {
    id: row.message_id,
    seq: row.seq,
    threadId: send.threadId,
    from: send.from,
    to: row.to_handle,
    sentTo: send.sentTo,
    type: send.type,
    priority: send.priority,
    subject: send.subject,
    body: send.body,
    payload: send.payload,
    inReplyTo: send.inReplyTo,
    createdAt: new Date(row.created_at),
    readAt: null,
  };
}

/** One message by public id, or undefined. */
export async function findMessage(db: Db, id: string): Promise<MessageRecord | undefined> {
  const row = await db.selectFrom("messages").select(MESSAGE_COLUMNS).where("message_id", "=", id).executeTakeFirst();
  return row && toRecord(row);
}

const followStatement = (typed: boolean): PreparedStatement =>
  preparedStatement(
    `mailbox_follow${typed ? "_typed" : ""}`,
    `select ${MESSAGE_COLUMNS_SQL} from messages
     where to_handle = $1 and seq > $2::bigint${typed ? " and type = any($4::text[])" : ""}
     order by seq limit $3`,
  );
const FOLLOW = [followStatement(false), followStatement(true)] as const;

/** A handle's messages with `seq` above `afterSeq`, in seq order (Subscribe; one indexed query). */
export async function messagesAfter(
  run: RunStatement,
  handle: string,
  afterSeq: string,
  types: readonly MessageType[],
  limit: number,
): Promise<MessageRecord[]> {
  const rows = types.length > 0 ? await run<MessageRow>(FOLLOW[1], [handle, afterSeq, limit, types]) : await run<MessageRow>(FOLLOW[0], [handle, afterSeq, limit]);
  return rows.map(toRecord);
}

/** A handle's last sequence number ("0" when it never received a message). */
export async function headSeq(db: Db, handle: string): Promise<string> {
  const row = await db.selectFrom("mailbox_heads").select("last_seq").where("handle", "=", handle).executeTakeFirst();
  return row ? String(row.last_seq) : "0";
}
