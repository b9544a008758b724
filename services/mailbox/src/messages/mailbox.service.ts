import { randomUUID } from "node:crypto";
import type { MailboxConfig } from "@orchestrator/config";
import { runThrough, type DatabaseHandle, type Database, type RunStatement } from "@orchestrator/db";
import { InvalidArgumentError } from "@orchestrator/errors";
import type { Kysely } from "kysely";
import { purgeMessages } from "../retention/retention.repository.js";
import { checkMessages, type CheckResult } from "../waiting/check-messages.js";
import { followMailbox } from "../waiting/follow-mailbox.js";
import { MAILBOX_CHANNEL, noticesFor } from "../waiting/mailbox-notice.js";
import type { WaiterRegistry } from "../waiting/waiter-registry.js";
import { DEFAULT_PRIORITY, DEFAULT_TYPE, type MessageRecord } from "./message.js";
import { existingIds, inboxPage, markRead, unreadCount } from "./message-reads.repository.js";
import { findMessage, insertBatch } from "./message.repository.js";
import type { RecipientDirectory } from "./recipient-directory.js";
import { resolveRecipients } from "./resolve-recipients.js";
import { SendBatcher } from "./send-batcher.js";
import { unknownMessageError } from "./unknown-message-error.js";
import { requireHandle, validateContent } from "./validate-content.js";
import { validateTypes } from "./validate-types.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A Send as the handler hands it over; empty strings mean "not given". */
export interface SendInput {
  readonly to: string;
  /** Already defaulted to the caller's identity by the handler. */
  readonly from: string;
  readonly subject: string;
  readonly body: string;
  readonly type: string;
  readonly priority: string;
  readonly threadId: string;
  readonly payload: string;
}

/** A Reply; empty strings mean "not given". */
export interface ReplyInput {
  readonly id: string;
  readonly from: string;
  readonly subject: string;
  readonly body: string;
  readonly type: string;
  readonly priority: string;
  readonly payload: string;
}

/** A Check; `wait` present means block until something matches. */
export interface CheckInput {
  readonly handle: string;
  readonly unreadOnly: boolean;
  readonly types: readonly string[];
  /** 0 means the default (50). */
  readonly limit: number;
  readonly markRead: boolean;
  readonly wait?: { readonly timeoutMs: number; readonly signal: AbortSignal };
}

/** One Inbox page. */
export interface InboxPage {
  readonly messages: MessageRecord[];
  /** Empty on the last page. */
  readonly nextPageToken: string;
  readonly unreadCount: number;
}

/** Page size and Check limit when none is given. */
export const DEFAULT_LIMIT = 50;

/**
 * The mailbox: every rule of the contract, for the RPC handler and for
 * in-process callers alike. Writes wake this replica's waiters in process as
 * soon as the commit returns, and every other replica's through the NOTIFY
 * the same statement sends at commit (marked with `origin`, so this
 * replica's listener skips it).
 */
export class Mailbox {
  private readonly batcher: SendBatcher;
  private readonly db: Kysely<Database>;
  private readonly run: RunStatement;

  constructor(
    database: Pick<DatabaseHandle, "db" | "run">,
    private readonly registry: WaiterRegistry,
    private readonly directory: RecipientDirectory,
    private readonly config: MailboxConfig,
    /** This replica's origin id (see createMailboxModule). */
    private readonly origin: string,
  ) {
    this.db = database.db;
    this.run = database.run;
    this.batcher = new SendBatcher(database.run, origin, (sends) => {
      for (const send of sends) registry.wake(send.recipients, send.type);
    });
  }

  /** Sends to a handle or group: one message per recipient, one thread id; nothing is written on any error. */
  async send(input: SendInput): Promise<{ threadId: string; messages: MessageRecord[] }> {
    requireHandle(input.from, "from");
    const content = validateContent(input, this.config, { type: DEFAULT_TYPE, priority: DEFAULT_PRIORITY });
    const recipients = await resolveRecipients(input.to, input.from, this.directory, this.config.maxRecipients);
    const threadId = input.threadId || randomUUID();
    const messages = await this.batcher.submit({
      ...content,
      recipients: recipients.handles,
      threadId,
      from: input.from,
      sentTo: input.to,
      inReplyTo: undefined,
    });
    return { threadId, messages };
  }

  /** Answers a message into its thread, to its sender; marks the answered message read. */
  async reply(input: ReplyInput): Promise<MessageRecord> {
    if (!UUID.test(input.id)) throw new InvalidArgumentError("id", `"${input.id}" is not a message id (a UUID)`);
    const original = await findMessage(this.db, input.id);
    if (!original) throw unknownMessageError("id", input.id);
    const from = input.from || original.to;
    requireHandle(from, "from");
    const subject = input.subject || (/^re:/i.test(original.subject) ? original.subject : `Re: ${original.subject}`).slice(0, 512);
    const content = validateContent({ ...input, subject }, this.config, { type: DEFAULT_TYPE, priority: DEFAULT_PRIORITY });
    const answer = { ...content, recipients: [original.from], threadId: original.threadId, from, sentTo: original.from, inReplyTo: original.id };
    const message = await this.db.transaction().execute(async (tx) => {
      const [written] = await insertBatch(runThrough(tx), [answer], MAILBOX_CHANNEL, noticesFor(this.origin, [answer]));
      await markRead(tx, [original.id], undefined);
      return written![0]!;
    });
    this.registry.wake([original.from], content.type);
    return message;
  }

  /** Check, optionally waiting; see checkMessages. */
  async check(input: CheckInput): Promise<CheckResult> {
    requireHandle(input.handle, "handle");
    const types = validateTypes(input.types);
    return checkMessages(this.run, this.registry, {
      filter: { handle: input.handle, unreadOnly: input.unreadOnly, types },
      limit: input.limit || DEFAULT_LIMIT,
      markRead: input.markRead,
      ...(input.wait ? { wait: input.wait } : {}),
    });
  }

  /** A page of a handle's messages, newest first; `pageToken` is the previous page's `nextPageToken`. */
  async inbox(handle: string, limit: number, pageToken: string, unreadOnly: boolean): Promise<InboxPage> {
    requireHandle(handle, "handle");
    if (pageToken !== "" && !/^[0-9]{1,19}$/.test(pageToken)) throw new InvalidArgumentError("page_token", "must be a next_page_token of an earlier page");
    const size = limit || DEFAULT_LIMIT;
    const filter = { handle, unreadOnly, types: [] };
    const page = await inboxPage(this.db, filter, pageToken || undefined, size);
    const last = page.messages.at(-1);
    return {
      messages: page.messages,
      nextPageToken: page.more && last ? last.seq : "",
      unreadCount: await unreadCount(this.db, handle),
    };
  }

  /** Subscribe; see followMailbox. `afterSeq` undefined: new messages only. */
  subscribe(handle: string, afterSeq: string | undefined, types: readonly string[], signal: AbortSignal): AsyncGenerator<MessageRecord> {
    requireHandle(handle, "handle");
    return followMailbox(this.db, this.run, this.registry, { handle, afterSeq, types: validateTypes(types), signal });
  }

  /** Marks the given messages read (all must exist, as `handle`'s when given), or every unread one of `handle`. */
  async markRead(ids: readonly string[], handle: string): Promise<number> {
    if (handle) requireHandle(handle, "handle");
    if (ids.length === 0 && !handle) throw new InvalidArgumentError("ids", "give message ids, or a handle to mark all its unread messages read");
    ids.forEach((id, i) => {
      if (!UUID.test(id)) throw new InvalidArgumentError(`ids[${i}]`, `"${id}" is not a message id (a UUID)`);
    });
    return this.db.transaction().execute(async (tx) => {
      const found = await existingIds(tx, ids, handle || undefined);
      const missing = ids.findIndex((id) => !found.has(id.toLowerCase()));
      if (missing >= 0) throw unknownMessageError(`ids[${missing}]`, ids[missing]!);
      return markRead(tx, ids, handle || undefined);
    });
  }

  /** Deletes a handle's messages, or every message with `all`; sequence numbers are kept. */
  async purge(handle: string, all: boolean): Promise<number> {
    if (handle && all) throw new InvalidArgumentError("all", "give either a handle or all, not both");
    if (!handle && !all) throw new InvalidArgumentError("all", "set all to delete every message, or give a handle");
    if (handle) requireHandle(handle, "handle");
    return purgeMessages(this.db, handle || undefined);
  }
}
