import type { Database } from "@orchestrator/db";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { findOrphanedContexts, findOverdueContexts, findOwnAbortedContexts } from "../dispatch/context-sweeps.js";
import type { Outcome } from "../dispatch/outcome.js";
import { announce } from "../events/scheduler-notice.js";
import type { RunSupervisor } from "../runs/run-supervisor.js";
import { deleteReplica, pruneReplicas, renewReplica, upsertReplica } from "./replica.repository.js";
import { RepeatedFailureLog } from "@orchestrator/rpc";

/** First retry delay after a failed tick. */
const RETRY_BASE_MS = 500;

/** What a Housekeeper is built from. */
export interface HousekeeperDeps {
  readonly db: Kysely<Database>;
  readonly owner: string;
  readonly leaseMs: number;
  readonly supervisor: RunSupervisor;
  /** Records outcomes found by the sweeps (and re-dispatches what they make ready). */
  readonly settle: (outcomes: readonly Outcome[]) => Promise<void>;
  /** Called when this replica finds it was presumed dead (its lease lapsed): abort everything in flight. */
  readonly onPresumedDead: () => void;
  /** Resolves once outcomes reported so far are recorded. */
  readonly outcomesRecorded: () => Promise<void>;
  readonly logger: Logger;
}

/**
 * The replica's lease timer, the one periodic thing the scheduler does
 * (every third of the lease, sooner when another replica's run lease is
 * due): renew this replica's and its runs' leases, take over runs whose
 * lease expired, and sweep dispatch contexts whose replica is gone or whose
 * deadline passed. Work itself is never found by polling: it is announced.
 */
export class Housekeeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private ticks = 0;
  /** Ticks that failed in a row: the retry delay doubles with each (RETRY_BASE_MS up to a third of the lease). */
  private failuresInARow = 0;
  private readonly failures: RepeatedFailureLog;

  constructor(private readonly deps: HousekeeperDeps) {
    this.failures = new RepeatedFailureLog(deps.logger);
  }

  async start(): Promise<void> {
    await upsertReplica(this.deps.db, this.deps.owner, this.deps.leaseMs);
    await this.tick();
  }

  /** Runs a tick now (a replica left, notifications may have been missed). */
  tickSoon(): void {
    if (this.stopped) return;
    if (this.running) {
      this.running.then(() => this.tickSoon(), () => this.tickSoon());
      return;
    }
    clearTimeout(this.timer);
    this.tickInBackground();
  }

  /** Stops the timer; removes this replica's row so others sweep its leftovers at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await deleteReplica(this.deps.db, this.deps.owner);
    await announce(this.deps.db, { k: "replicas" });
  }

  /** A tick nobody waits for: work() logs its own failures; anything else is logged here. */
  private tickInBackground(): void {
    this.tick().catch((err: unknown) => this.deps.logger.error({ err }, "scheduler housekeeping tick failed"));
  }

  private tick(): Promise<void> {
    this.running ??= this.work().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async work(): Promise<void> {
    const { db, owner, leaseMs, supervisor, logger } = this.deps;
    let delay = leaseMs / 3;
    try {
      if (!(await renewReplica(db, owner, leaseMs))) {
        logger.warn({ replica: owner }, "this scheduler replica was presumed dead (lease lapsed); aborting its in-flight dispatches");
        this.deps.onPresumedDead();
        await supervisor.stopAll(false);
        await upsertReplica(db, owner, leaseMs);
        await this.deps.outcomesRecorded(); // answers that came in before the abort count
        await this.sweep(await findOwnAbortedContexts(db, owner));
      }
      await supervisor.maintainLeases();
      await this.sweep(await findOrphanedContexts(db));
      await this.sweep(await findOverdueContexts(db));
      if (++this.ticks % 1000 === 0) await pruneReplicas(db);
      const next = await supervisor.nextForeignExpiry();
      if (next) delay = Math.min(delay, Math.max(10, next.getTime() - Date.now() + 10));
      this.failuresInARow = 0;
      this.failures.succeeded("scheduler housekeeping");
    } catch (err) {
      this.failures.failed("scheduler housekeeping", err);
      // Back off while the database is away: 500 ms, 1 s, 2 s, ... up to a third of the lease, jittered.
      delay = Math.min(delay, RETRY_BASE_MS * 2 ** this.failuresInARow++) * (0.75 + Math.random() / 2);
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => this.tickInBackground(), delay);
      this.timer.unref?.();
    }
  }

  private async sweep(outcomes: readonly Outcome[]): Promise<void> {
    if (outcomes.length > 0) await this.deps.settle(outcomes);
  }
}
