import type { Database } from "@orchestrator/db";
import type { Kysely } from "kysely";
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
 * is being written; sends that arrive while a statement is in flight wait
 * for it and then go together, as ONE statement and one commit. Each commit
 * carrying NOTIFY takes Postgres' global notify lock through its WAL flush,
 * so writing one statement at a time per replica, with everything that
 * queued meanwhile, is what lets throughput grow with concurrent senders
 * while an idle mailbox adds no delay. A batch that fails is retried send by
 * send, so one send's failure never fails another's.
 */
export class SendBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Kysely<Database>,
    /** Called with each batch's sends once committed (to wake local waiters). */
    private readonly onCommitted: (sends: readonly NewMessages[]) => void,
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
    const results = await insertBatch(this.db, sends, MAILBOX_CHANNEL, noticesFor(sends));
    this.onCommitted(sends);
    return results;
  }
}
