import { preparedStatement, type PreparedStatement, type RunStatement } from "@orchestrator/db";
import { sql } from "kysely";
import type { MessageFilter } from "./message-filter.js";
import type { MessageRecord } from "./message.js";
import { MESSAGE_COLUMNS, MESSAGE_COLUMNS_SQL, toRecord, type Db, type MessageRow } from "./message.repository.js";

/** urgent → 0, high → 1, normal → 2: the order Check returns. */
const PRIORITY_RANK_SQL = "case priority when 'urgent' then 0 when 'high' then 1 else 2 end";

/**
 * The Check statements, one per filter shape (unread only or not, typed or
 * not) so each keeps a constant text, is prepared once per connection and
 * is planned on the partial unread index when it applies. Parameters: $1
 * handle, $2 limit, $3 types (typed ones only).
 */
function checkStatements(claim: boolean): PreparedStatement[][] {
  return [false, true].map((unreadOnly) =>
    [false, true].map((typed) => {
      const where = `messages.to_handle = $1${unreadOnly ? " and messages.read_at is null" : ""}${typed ? " and messages.type = any($3::text[])" : ""}`;
      const name = `mailbox_${claim ? "claim" : "check"}${unreadOnly ? "_unread" : ""}${typed ? "_typed" : ""}`;
      if (!claim) return preparedStatement(name, `select ${MESSAGE_COLUMNS_SQL} from messages where ${where} order by ${PRIORITY_RANK_SQL}, seq limit $2`);
      return preparedStatement(
        name,
        `with picked as (
           select id, read_at as was_read_at from messages where ${where}
           order by ${PRIORITY_RANK_SQL}, seq limit $2 for update skip locked
         )
         update messages set read_at = coalesce(messages.read_at, now()) from picked where messages.id = picked.id
         returning ${MESSAGE_COLUMNS_SQL}, picked.was_read_at is null as newly_read`,
      );
    }),
  );
}
const CHECK = checkStatements(false);
const CLAIM = checkStatements(true);

/** Runs the statement of `filter`'s shape from `statements`. */
function runFor<R>(run: RunStatement, statements: PreparedStatement[][], filter: MessageFilter, limit: number): Promise<R[]> {
  const typed = filter.types.length > 0;
  const statement = statements[filter.unreadOnly ? 1 : 0]![typed ? 1 : 0]!;
  return run<R>(statement, typed ? [filter.handle, limit, filter.types] : [filter.handle, limit]);
}

function matching(db: Db, filter: MessageFilter) {
  let query = db.selectFrom("messages").where("to_handle", "=", filter.handle);
  if (filter.unreadOnly) query = query.where("read_at", "is", null);
  if (filter.types.length > 0) query = query.where("type", "in", filter.types);
  return query;
}

/** Sorts like Check answers: urgent, high, normal; oldest (lowest seq) first within one. */
export function checkOrder(a: MessageRecord, b: MessageRecord): number {
  const rank = (m: MessageRecord) => (m.priority === "urgent" ? 0 : m.priority === "high" ? 1 : 2);
  return rank(a) - rank(b) || Number(BigInt(a.seq) - BigInt(b.seq));
}

/** The first `limit` matching messages in Check order, unchanged (one indexed query). */
export async function selectForCheck(run: RunStatement, filter: MessageFilter, limit: number): Promise<MessageRecord[]> {
  return (await runFor<MessageRow>(run, CHECK, filter, limit)).map(toRecord);
}

/** What a claiming Check took: the messages, and the ids it turned from unread to read. */
export interface Claim {
  readonly messages: MessageRecord[];
  readonly newlyRead: readonly string[];
}

/**
 * Takes the first `limit` matching messages in Check order and marks them
 * read, in one statement. `FOR UPDATE SKIP LOCKED` makes concurrent claimers
 * (on any replica) take different messages, so each unread message goes to
 * exactly one of them.
 */
export async function claimForCheck(run: RunStatement, filter: MessageFilter, limit: number): Promise<Claim> {
  const rows = await runFor<MessageRow & { newly_read: boolean }>(run, CLAIM, filter, limit);
  return {
    messages: rows.map(toRecord).sort(checkOrder),
    newlyRead: rows.filter((r) => r.newly_read).map((r) => r.message_id),
  };
}

const RELEASE_CLAIM = preparedStatement("mailbox_release_claim", "update messages set read_at = null where message_id = any($1::uuid[])");

/**
 * Undoes a claim whose caller went away before it could be answered: the
 * messages it turned read become unread again.
 */
export async function releaseClaim(run: RunStatement, claim: Claim): Promise<void> {
  if (claim.newlyRead.length === 0) return;
  await run(RELEASE_CLAIM, [claim.newlyRead]);
}

/** One Inbox page, newest first: `limit` messages below `beforeSeq` (all when undefined), plus whether more exist. */
export async function inboxPage(
  db: Db,
  filter: MessageFilter,
  beforeSeq: string | undefined,
  limit: number,
): Promise<{ messages: MessageRecord[]; more: boolean }> {
  let query = matching(db, filter).select(MESSAGE_COLUMNS);
  if (beforeSeq !== undefined) query = query.where("seq", "<", beforeSeq);
  const rows = await query.orderBy("seq", "desc").limit(limit + 1).execute();
  return { messages: rows.slice(0, limit).map(toRecord), more: rows.length > limit };
}

/** How many unread messages a handle has. */
export async function unreadCount(db: Db, handle: string): Promise<number> {
  const row = await db
    .selectFrom("messages")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("to_handle", "=", handle)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Which of `ids` exist (as messages of `handle`, when given). */
export async function existingIds(db: Db, ids: readonly string[], handle: string | undefined): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  let query = db.selectFrom("messages").select(sql<string>`message_id::text`.as("id")).where("message_id", "in", ids);
  if (handle) query = query.where("to_handle", "=", handle);
  return new Set((await query.execute()).map((r) => r.id));
}

/** Marks unread messages read: the given ids (of `handle`, when given), or every unread one of `handle`. Returns how many. */
export async function markRead(db: Db, ids: readonly string[], handle: string | undefined): Promise<number> {
  let query = db.updateTable("messages").set({ read_at: sql`now()` }).where("read_at", "is", null);
  if (ids.length > 0) query = query.where("message_id", "in", ids);
  if (handle) query = query.where("to_handle", "=", handle);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
