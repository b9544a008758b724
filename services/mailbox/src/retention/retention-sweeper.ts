import type { RetentionConfig } from "@orchestrator/config";
import type { Database } from "@orchestrator/db";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { deleteBeyondCount, deleteExpired } from "./retention.repository.js";
import { RepeatedFailureLog } from "@orchestrator/rpc";

/** Rows one delete statement removes: short statements, short locks. */
const BATCH = 1000;

/**
 * Enforces retention on a timer, on every replica (batches skip each
 * other's rows): messages older than `maxAgeMs`, and all but the newest
 * `maxPerHandle` of each handle. Deletes run in small batches off the send
 * path, so senders never wait for them. A failed sweep is logged and tried
 * again next interval.
 */
export class RetentionSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  /** Failures that repeat through a database outage: one line, then summaries. */
  private readonly failures: RepeatedFailureLog;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly config: RetentionConfig,
    private readonly logger: Logger,
  ) {
    this.failures = new RepeatedFailureLog(logger);
  }

  /** Sweeps once soon after start, then every `intervalMs`. Nothing runs when both limits are 0. */
  start(): void {
    if (this.config.maxAgeMs === 0 && this.config.maxPerHandle === 0) return;
    this.stopped = false;
    this.schedule(Math.min(1000, this.config.intervalMs));
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One full sweep; returns how many messages it deleted. */
  async sweep(): Promise<number> {
    let deleted = 0;
    const drain = async (step: () => Promise<number>) => {
      for (let n = BATCH; n === BATCH && !this.stopped; ) {
        n = await step();
        deleted += n;
      }
    };
    if (this.config.maxAgeMs > 0) await drain(() => deleteExpired(this.db, this.config.maxAgeMs, BATCH));
    if (this.config.maxPerHandle > 0) await drain(() => deleteBeyondCount(this.db, this.config.maxPerHandle, BATCH));
    return deleted;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .then((deleted) => {
          if (deleted > 0) this.logger.info({ deleted }, "mailbox retention deleted messages");
        })
        .catch((err: unknown) => this.failures.failed("mailbox retention sweep", err))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.config.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }
}
