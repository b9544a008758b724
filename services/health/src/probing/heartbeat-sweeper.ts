import type { Database } from "@orchestrator/db";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { InstanceRegistry } from "../instances/instance-registry.service.js";
import { findStaleHeartbeats } from "../instances/instance.repository.js";

/**
 * Marks heartbeat-probed instances (agents) `down` when their heartbeats
 * stop for longer than the timeout. Runs on every replica; the registry's
 * compare-and-set keeps each transition single.
 */
export class HeartbeatSweeper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly registry: InstanceRegistry,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.sweep().catch((err: unknown) => this.logger.error({ err }, "heartbeat sweep failed"));
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
      return moved;
    } catch (err) {
      this.logger.warn({ err }, "heartbeat sweep failed");
      return 0;
    }
  }
}
