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
}

/** BatchLimits defaults. */
export const DEFAULT_BATCH_LIMITS: BatchLimits = Object.freeze({ maxSends: 256, maxRecipients: 10_000, maxInFlight: 1 });

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
 * Within a batch a handle's messages are numbered in submit order, and
 * batches commit one after another, so each sender's messages keep their
 * order in every recipient's seq. A batch that fails is retried send by
 * send, so one send's failure never fails another's.
 */
export class SendBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;

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
      this.pump();
    });
  }

  /** Starts writing queued sends while fewer than `maxInFlight` statements are running. */
  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.limits.maxInFlight) {
      const batch = this.take();
      this.inFlight += 1;
      this.write(batch)
        .catch((err: unknown) => {
          for (const p of batch) p.reject(err);
        })
        .finally(() => {
          this.inFlight -= 1;
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
