import type { Database } from "@orchestrator/db";
import { FailedPreconditionError } from "@orchestrator/errors";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { InstanceRecord } from "../instances/instance.js";
import { announceInstanceChange, type InstanceEvents } from "../instances/instance-events.js";
import { findInstance } from "../instances/instance.repository.js";
import { deleteTransitions } from "../instances/transition.repository.js";
import { waitForChange } from "../instances/wait-for-change.js";
import { deleteInstanceRow, deleteStaleReservations, highestOrdinal, insertReservation, listPoolMembers, lockPool } from "./pool.repository.js";
import type { PoolTemplate } from "./pool-template.js";
import { ProvisionError, type ProvisionStep, type Provisioner } from "./provisioner.js";

/** Extra time past a provision timeout before another replica treats a reservation as abandoned. */
const STALE_RESERVATION_GRACE_MS = 60_000;

interface InFlight {
  readonly pool: string;
  readonly abort: AbortController;
  readonly done: Promise<unknown>;
}

/**
 * Grows pools: reserves `NAME-N` names under the pool's lock and drives
 * their provisioner until the instance registered itself and is healthy.
 * A failed provision stops what was started and deletes the reservation.
 * Tracks what this replica is provisioning (ListPools shows it).
 */
export class PoolProvisioning {
  private readonly inFlight = new Map<string, InFlight>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly events: InstanceEvents,
    readonly provisioner: Provisioner,
    private readonly logger: Logger,
  ) {}

  /**
   * Reserves the next name of the pool, `<pool>-(highest N)+1`, for
   * `holder` (null: nobody, e.g. to keep the minimum) if fewer than `limit`
   * members are up (not `down`; reservations count). One transaction under
   * the pool's advisory lock, so replicas never reserve past the limit.
   * Undefined when the pool is at the limit.
   */
  async reserve(template: PoolTemplate, holder: string | null, limit: number): Promise<string | undefined> {
    return this.db.transaction().execute(async (tx) => {
      await lockPool(tx, template.name);
      const members = await listPoolMembers(tx, template.name);
      const up = members.filter((m) => m.provisioning || m.health !== "down").length;
      if (up >= limit) return undefined;
      for (let n = (await highestOrdinal(tx, template.name)) + 1; ; n++) {
        const name = `${template.name}-${n}`;
        const reserved = await insertReservation(tx, { name, pool: template.name, labels: template.labels, holder });
        if (!reserved) continue; // taken meanwhile by a registration outside the lock
        await announceInstanceChange(tx, { name });
        return name;
      }
    });
  }

  /**
   * Provisions reserved instance `name` and resolves with it once it
   * registered and is healthy, within `timeoutMs` (clone, setup, start and
   * registration together). Fails with FAILED_PRECONDITION
   * `provision_failed` naming the step and the end of its output, after
   * stopping what was started and deleting the reservation. Runs to its end
   * even when the caller stops waiting.
   */
  provision(template: PoolTemplate, name: string, timeoutMs: number): Promise<InstanceRecord> {
    const abort = new AbortController();
    const done = this.run(template, name, timeoutMs, abort.signal).finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, { pool: template.name, abort, done: done.catch(() => undefined) });
    return done;
  }

  /** Names this replica is provisioning now, of one pool or all. */
  provisioningNames(pool?: string): string[] {
    return [...this.inFlight].filter(([, f]) => pool === undefined || f.pool === pool).map(([name]) => name);
  }

  /** Deletes reservations of the pool whose provisioner must have died (older than its provision timeout and a grace). */
  async sweepStaleReservations(template: PoolTemplate): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const removed = await deleteStaleReservations(tx, template.name, template.provisionTimeoutMs + STALE_RESERVATION_GRACE_MS, this.provisioningNames());
      for (const r of removed) {
        await announceInstanceChange(tx, { name: r.name, removed: r });
        this.logger.warn({ instance: r.name, pool: template.name }, "removed an abandoned provisioning reservation");
      }
    });
  }

  /** Aborts every provision in flight (their cleanup runs) and waits for them. */
  async abortAll(): Promise<void> {
    const all = [...this.inFlight.values()];
    for (const f of all) f.abort.abort(new Error("the health service is stopping"));
    await Promise.all(all.map((f) => f.done));
  }

  private async run(template: PoolTemplate, name: string, timeoutMs: number, stop: AbortSignal): Promise<InstanceRecord> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([stop, timeout]);
    const started = Date.now();
    this.logger.info({ instance: name, pool: template.name }, "provisioning");
    let step: ProvisionStep = "start";
    try {
      const instance = await this.provisioner.provision(template, name, signal);
      step = "register";
      const waiting = new AbortController();
      const ended = instance.exited.then((how) => ({ exited: how }));
      const ready = waitForChange(this.events, (e) => e.instance.name === name, () => this.registeredAndHealthy(name), AbortSignal.any([signal, waiting.signal]));
      ready.catch(() => undefined); // when the process ended first, a late failure here is moot
      const outcome = await Promise.race([ready, ended]);
      waiting.abort();
      if (outcome && "exited" in outcome) {
        throw new ProvisionError("register", `the agent process ended (${outcome.exited}) before it registered and became healthy`, await instance.logTail());
      }
      if (!outcome) throw new ProvisionError("register", `the agent did not register and become healthy in time`, await instance.logTail());
      this.logger.info({ instance: name, pool: template.name, ms: Date.now() - started }, "provisioned");
      return outcome;
    } catch (err) {
      await this.provisioner.stop(name).catch((e: unknown) => this.logger.warn({ err: e, instance: name }, "could not stop a failed provision"));
      await this.remove(name).catch((e: unknown) => this.logger.warn({ err: e, instance: name }, "could not remove a failed provision's reservation"));
      const failure = provisionFailed(template, name, err, timeout.aborted ? timeoutMs : undefined, stop.aborted ? String(stop.reason?.message ?? stop.reason) : undefined, step);
      this.logger.warn({ instance: name, pool: template.name, step: failure.metadata.step, error: failure.message }, "provision failed");
      throw failure;
    }
  }

  /** The instance once registered over its reservation and healthy; fails when its row is gone. */
  private async registeredAndHealthy(name: string): Promise<InstanceRecord | undefined> {
    const record = await findInstance(this.db, name);
    if (!record) throw new ProvisionError("register", "its reservation was removed (deregistered) while it was being provisioned");
    return !record.provisioning && record.health === "healthy" ? record : undefined;
  }

  /** Deregisters instance `name` (reservation or registered) with its history, announcing the removal. */
  async remove(name: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const removed = await deleteInstanceRow(tx, name);
      if (!removed) return;
      await deleteTransitions(tx, name);
      await announceInstanceChange(tx, { name, removed });
    });
  }
}

/** FAILED_PRECONDITION `provision_failed`: which instance, which step, why, and the end of the output. */
function provisionFailed(
  template: PoolTemplate,
  name: string,
  err: unknown,
  timedOutAfterMs: number | undefined,
  stoppedBecause: string | undefined,
  stepReached: ProvisionStep,
): FailedPreconditionError {
  const step = err instanceof ProvisionError ? err.step : stepReached;
  let why = err instanceof Error ? err.message : String(err);
  if (timedOutAfterMs !== undefined) why = `timed out: not registered and healthy within ${Math.round(timedOutAfterMs / 1000)}s (the pool's provisionTimeout or the call's timeout): ${why}`;
  else if (stoppedBecause) why = `stopped: ${stoppedBecause}`;
  const tail = err instanceof ProvisionError && err.logTail ? `\n--- last output ---\n${err.logTail}` : "";
  return new FailedPreconditionError("provision_failed", `could not provision ${name} for pool "${template.name}": ${step} failed: ${why}${tail}`, {
    pool: template.name,
    instance: name,
    step,
  });
}
