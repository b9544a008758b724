import type { Database } from "@orchestrator/db";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { RunDriver } from "./run-driver.js";
import { nextForeignLeaseExpiry, releaseRunLeases, renewRunLeases, takeExpiredRuns } from "./run.repository.js";

/** What a RunSupervisor is built from. */
export interface RunSupervisorDeps {
  readonly db: Kysely<Database>;
  /** This replica's id (lease owner). */
  readonly owner: string;
  readonly leaseMs: number;
  readonly createDriver: (runId: string, onExit: (runId: string) => void) => RunDriver;
  readonly logger: Logger;
}

/**
 * The runs this replica drives, by lease: a run is driven by the replica
 * whose lease on it is current. Leases are renewed together (one
 * statement); a run whose lease this replica lost is dropped at once; runs
 * whose lease expired (their replica died) are taken over, compare-and-set,
 * by whichever replica gets there first.
 */
export class RunSupervisor {
  private readonly drivers = new Map<string, RunDriver>();
  private draining = false;

  constructor(private readonly deps: RunSupervisorDeps) {}

  /** Starts driving a run this replica holds the lease of. */
  adopt(runId: string): void {
    if (this.drivers.has(runId) || this.draining) return;
    const driver = this.deps.createDriver(runId, (id) => {
      if (this.drivers.get(id) === driver) this.drivers.delete(id);
    });
    this.drivers.set(runId, driver);
    driver.start();
  }

  /** The driver of a run, when this replica drives it. */
  driver(runId: string): RunDriver | undefined {
    return this.drivers.get(runId);
  }

  /** Wakes the drivers whose ready tasks found no usable instance (the instance view changed). */
  wakeWaiting(): void {
    for (const driver of this.drivers.values()) if (driver.waitingForInstance) driver.wake();
  }

  /** Runs driven here. */
  get runIds(): string[] {
    return [...this.drivers.keys()];
  }

  /** Wakes every driver (tasks may be dispatchable now: an instance came back, notifications were missed). */
  wakeAll(): void {
    for (const driver of this.drivers.values()) driver.wake();
  }

  /**
   * Renews held leases, drops the runs whose lease was lost, adopts runs
   * leased here that have no driver, and takes over expired ones. A run
   * adopted while the renewal ran is not dropped for missing from it.
   */
  async maintainLeases(): Promise<void> {
    const before = new Set(this.drivers.keys());
    const renewed = new Set(await renewRunLeases(this.deps.db, this.deps.owner, this.deps.leaseMs));
    for (const [runId, driver] of this.drivers) {
      if (!renewed.has(runId) && before.has(runId)) {
        this.deps.logger.info({ run: runId }, "run lease lost or run finished; no longer driving it");
        this.drivers.delete(runId);
        driver.stop().catch((err: unknown) => this.deps.logger.error({ err, run: runId }, "could not stop the run driver"));
      }
    }
    for (const runId of renewed) this.adopt(runId);
    if (this.draining) return;
    const taken = await takeExpiredRuns(this.deps.db, this.deps.owner, this.deps.leaseMs, 50);
    for (const runId of taken) {
      this.deps.logger.info({ run: runId }, "took over run (its lease expired)");
      this.adopt(runId);
    }
  }

  /** The earliest expiry of a lease held by another replica (when a takeover could happen). */
  async nextForeignExpiry(): Promise<Date | undefined> {
    return nextForeignLeaseExpiry(this.deps.db, this.deps.owner);
  }

  /**
   * Shutdown, first step: drivers stop claiming tasks and no run is adopted
   * any more; outcomes are still recorded. Resolves once every dispatch
   * already claimed has been launched (so it shows in the in-flight calls).
   */
  async drain(): Promise<void> {
    this.draining = true;
    await Promise.all([...this.drivers.values()].map((driver) => driver.pauseClaims()));
  }

  /** Stops every driver; with `release`, gives the leases up so another replica takes over at once. */
  async stopAll(release: boolean): Promise<void> {
    const drivers = [...this.drivers.values()];
    this.drivers.clear();
    await Promise.all(drivers.map((d) => d.stop()));
    if (release) await releaseRunLeases(this.deps.db, this.deps.owner);
  }
}
