import type { Database } from "@orchestrator/db";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { expireIdleSessions, purgeFinishedSessions } from "./session.repository.js";
import { RepeatedFailureLog } from "@orchestrator/rpc";

/**
 * Expires idle sessions and purges finished ones, every `intervalMs`, on
 * every replica (both statements are idempotent, so replicas need no
 * coordination). Sends and reads also expire a session lazily when they
 * meet it past its ttl, so expiry never waits for the sweeper to be seen.
 */
export class SessionSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  /** Failures that repeat through a database outage: one line, then summaries. */
  private readonly failures: RepeatedFailureLog;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly intervalMs: number,
    private readonly retentionMs: number,
    private readonly logger: Logger,
  ) {
    this.failures = new RepeatedFailureLog(logger);
  }

  start(): void {
    this.timer ??= setInterval(() => {
      this.sweep().catch((err: unknown) => this.failures.failed("session sweep", err));
    }, this.intervalMs).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; overlapping calls share the pass in progress. Never throws. */
  sweep(): Promise<void> {
    this.running ??= (async () => {
      try {
        const expired = await expireIdleSessions(this.db);
        const purged = await purgeFinishedSessions(this.db, this.retentionMs);
        if (expired + purged > 0) this.logger.debug({ expired, purged }, "session sweep");
        this.failures.succeeded("session sweep");
      } catch (err) {
        this.failures.failed("session sweep", err);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
