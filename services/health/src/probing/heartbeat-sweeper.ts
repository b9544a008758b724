import type { Database } from "@orchestrator/db";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { InstanceRegistry } from "../instances/instance-registry.service.js";
import { findStaleHeartbeats } from "../instances/instance.repository.js";
import { RepeatedFailureLog } from "@orchestrator/rpc";

/**
 * Marks heartbeat-probed instances (agents) `down` when their heartbeats
 * stop for longer than the timeout. Runs on every replica; the registry's
 * compare-and-set keeps each transition single.
 */
export class HeartbeatSweeper {
  private timer: NodeJS.Timeout | undefined;

  /** A sweep failing every interval through a database outage is one line, then a summary. */
  private readonly failures: RepeatedFailureLog;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly registry: InstanceRegistry,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {
    this.failures = new RepeatedFailureLog(logger);
  }

  start(): void {
    this.timer = setInterval(() => {
      this.sweep().catch((err: unknown) => this.failures.failed("heartbeat sweep", err));
    }, Math.max(100, Math.floor(this.timeoutMs / 4)));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One pass; exposed for tests. */
  async sweep(): Promise<number> {
    try {
      const stale = await findStaleHeartbeats(this.db, this.timeoutMs);
      let moved = 0;
      for (const i of stale) {
        if (await this.registry.transition(i.name, i.health, "down", "heartbeat missed")) moved++;
      }
      this.failures.succeeded("heartbeat sweep");
      return moved;
    } catch (err) {
      this.failures.failed("heartbeat sweep", err);
      return 0;
    }
  }
}
