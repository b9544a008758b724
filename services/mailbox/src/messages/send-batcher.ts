import type { RunStatement } from "@orchestrator/db";
import { MAILBOX_CHANNEL, noticesFor } from "../waiting/mailbox-notice.js";
import type { MessageRecord } from "./message.js";
import { insertBatch, type NewMessages } from "./message.repository.js";

/** How big one batch may grow. */
export interface BatchLimits {
  /** Sends per statement. @default 256 */
  readonly maxSends: number;
  /** Messages (recipients) per statement; one bigger send still goes alone. @default 10000 */
  readonly maxRecipients: number;
  /** Statements in flight at once. @default 1 */
  readonly maxInFlight: number;
  /**
   * Longest a batch waits for the company the last cycle had (never longer
   * than the last statement took). @default 2
   */
  readonly maxLingerMs: number;
}

/** BatchLimits defaults. */
export const DEFAULT_BATCH_LIMITS: BatchLimits = Object.freeze({ maxSends: 256, maxRecipients: 10_000, maxInFlight: 1, maxLingerMs: 2 });

interface Pending {
  readonly send: NewMessages;
  resolve(records: MessageRecord[]): void;
  reject(error: unknown): void;
}

/**
 * Group commit for sends. A send goes to the database at once when nothing
 * is being written (no timer: an idle mailbox adds no delay); sends that
 * arrive while a statement is in flight wait for it and then go together,
 * as ONE statement, one commit and ONE NOTIFY (see noticesFor). Each commit
 * carrying NOTIFY takes Postgres' global notify lock through its WAL flush,
 * so writing one statement at a time per replica, with everything that
 * queued meanwhile, is what lets throughput grow with concurrent senders.
 *
 * Under steady concurrency that alone settles into alternating batches
 * (with 4 callers: 1, 3, 1, 3): the send that arrived during a batch goes
 * alone the moment it ends, while that batch's callers are still getting
 * their answers. So a batch waits while it is smaller than the most sends
 * this replica held at once since the last statement ended (in flight plus
 * queued), for at most as long as that statement took (and `maxLingerMs`):
 * under steady load every statement then carries every caller's send (4, 4,
 * ...), so half the statements, and the write that wakes the Postgres
 * backend, a large share of a replica's time per statement under load, is
 * paid once per batch. A replica that holds one send at a time (an idle or
 * lightly used one) never waits.
 *
 * Within a batch a handle's messages are numbered in submit order, and
 * batches commit one after another, so each sender's messages keep their
 * order in every recipient's seq. A batch that fails is retried send by
 * send, so one send's failure never fails another's.
 */
export class SendBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  /** Sends in statements in flight. */
  private writing = 0;
  /** Most sends held at once (writing + queued) since the last statement ended, and that count for the last cycle: the company a batch waits for. */
  private peak = 0;
  private company = 1;
  /** How long the last statement took: the longest a batch waits for company. */
  private lastStatementMs = 0;
  private linger: NodeJS.Timeout | undefined;
  private lingered = false;

  constructor(
    private readonly run: RunStatement,
    /** This replica's origin id, written into the notices so its own listener can skip them. */
    private readonly origin: string,
    /**
     * Called with each statement's sends once it has finished (to wake this
     * replica's waiters in process, before any NOTIFY arrives); also after a
     * failure, which may have come after the commit: a needless wake costs a
     * query, a missed one a waiter's whole timeout.
     */
    private readonly onWritten: (sends: readonly NewMessages[]) => void,
    private readonly limits: BatchLimits = DEFAULT_BATCH_LIMITS,
  ) {}

  /** Writes `send` (in some batch); resolves its records once committed. */
  submit(send: NewMessages): Promise<MessageRecord[]> {
    return new Promise<MessageRecord[]>((resolve, reject) => {
      this.queue.push({ send, resolve, reject });
      this.peak = Math.max(this.peak, this.writing + this.queue.length);
      this.pump();
    });
  }

  /** Starts writing queued sends while fewer than `maxInFlight` statements are running (see the class comment for the wait). */
  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.limits.maxInFlight) {
      if (this.queue.length < this.company && !this.lingered) {
        this.linger ??= setTimeout(
          () => {
            this.linger = undefined;
            this.lingered = true;
            this.pump();
          },
          Math.min(this.lastStatementMs, this.limits.maxLingerMs),
        );
        return;
      }
      clearTimeout(this.linger);
      this.linger = undefined;
      this.lingered = false;
      const batch = this.take();
      const started = performance.now();
      this.inFlight += 1;
      this.writing += batch.length;
      this.write(batch)
        .catch((err: unknown) => {
          for (const p of batch) p.reject(err);
        })
        .finally(() => {
          this.inFlight -= 1;
          this.writing -= batch.length;
          this.lastStatementMs = performance.now() - started;
          this.company = this.peak;
          this.peak = this.writing + this.queue.length;
          this.pump();
        });
    }
  }

  private take(): Pending[] {
    let recipients = 0;
    let n = 0;
    while (n < this.queue.length && n < this.limits.maxSends) {
      recipients += this.queue[n]!.send.recipients.length;
      if (n > 0 && recipients > this.limits.maxRecipients) break;
      n += 1;
    }
    return this.queue.splice(0, n);
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const results = await this.insert(batch.map((p) => p.send));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      for (const p of batch) {
        await this.insert([p.send]).then(
          ([records]) => p.resolve(records!),
          (err: unknown) => p.reject(err),
        );
      }
    }
  }

  private async insert(sends: NewMessages[]): Promise<MessageRecord[][]> {
    try {
      return await insertBatch(this.run, sends, MAILBOX_CHANNEL, noticesFor(this.origin, sends));
    } finally {
      this.onWritten(sends);
    }
  }
}
