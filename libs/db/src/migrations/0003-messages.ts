import { sql, type Kysely } from "kysely";

/**
 * The mailbox. `mailbox_heads` holds each handle's last sequence number:
 * a send bumps the recipients' heads in the same statement that inserts the
 * messages, so a handle's `seq` is gap-free and in commit order (the row
 * lock serializes sends to one handle), which makes it a safe Subscribe
 * cursor. Heads are never deleted, so purges and retention keep cursors
 * valid. The partial index serves unread checks; `created_at` serves
 * retention by age. No other index: every one is paid by every send.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("mailbox_heads")
    .addColumn("handle", "text", (c) => c.primaryKey())
    .addColumn("last_seq", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("messages")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("message_id", "uuid", (c) => c.notNull().unique().defaultTo(sql`gen_random_uuid()`))
    .addColumn("to_handle", "text", (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("thread_id", "text", (c) => c.notNull())
    .addColumn("from_handle", "text", (c) => c.notNull())
    .addColumn("sent_to", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("priority", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("payload", "json")
    .addColumn("in_reply_to", "uuid")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("read_at", "timestamptz")
    .addUniqueConstraint("messages_to_handle_seq_key", ["to_handle", "seq"])
    .addCheckConstraint(
      "messages_type_check",
      sql`type in ('status', 'dispatch', 'worker_done', 'merge_ready', 'escalation', 'handoff', 'decision_gate')`,
    )
    .addCheckConstraint("messages_priority_check", sql`priority in ('normal', 'high', 'urgent')`)
    .execute();
  await sql`create index messages_unread_idx on messages (to_handle, seq) where read_at is null`.execute(db);
  await db.schema.createIndex("messages_created_at_idx").on("messages").column("created_at").execute();
}

/** Drops both tables (and their indexes). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("messages").execute();
  await db.schema.dropTable("mailbox_heads").execute();
}
