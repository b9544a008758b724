import type { Database } from "@orchestrator/db";
import {
  AlreadyExistsError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
} from "@orchestrator/errors";
import { isValidInstanceName, resolveSelectors } from "@orchestrator/selector";
import type { Kysely, Transaction } from "kysely";
import type { ActivityStatus, ActivityTransitionRecord, HealthStatus, InstanceRecord, NewInstance, TransitionRecord } from "./instance.js";
import { announceInstanceChange } from "./instance-events.js";
import {
  claimIdleInstance,
  casHealth,
  deleteInstance,
  findInstance,
  insertInstance,
  listInstances,
  releaseAllocation,
  setActivity,
  listActivityTransitions,
  touchHeartbeat,
  upsertInstance,
} from "./instance.repository.js";
import { deleteTransitions, insertTransition, listTransitions } from "./transition.repository.js";

const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;

/**
 * The instance registry: every write happens in one transaction that also
 * announces the change (NOTIFY at commit), so watchers on every replica see
 * exactly what was committed. Health changes are compare-and-set and write
 * one history row each.
 */
export class InstanceRegistry {
  constructor(private readonly db: Kysely<Database>) {}

  /** Registers an instance; ALREADY_EXISTS for a taken name unless `replace`. */
  async register(input: NewInstance, replace: boolean): Promise<InstanceRecord> {
    validateNewInstance(input);
    return this.db.transaction().execute(async (tx) => {
      if (!replace) {
        const inserted = await insertInstance(tx, input);
        if (!inserted) throw new AlreadyExistsError("instance", input.name);
        await insertTransition(tx, input.name, "unknown", "unknown", "registered");
        await announce(tx, { name: input.name });
        return inserted;
      }
      const { record, previous } = await upsertInstance(tx, input);
      await insertTransition(tx, input.name, previous ?? "unknown", "unknown", previous ? "re-registered" : "registered");
      await announce(tx, { name: input.name });
      return record;
    });
  }

  async deregister(name: string): Promise<InstanceRecord> {
    return this.db.transaction().execute(async (tx) => {
      const removed = await deleteInstance(tx, name);
      if (!removed) throw new NotFoundError("instance", name);
      await deleteTransitions(tx, name);
      await tx.deleteFrom("activity_transitions").where("name", "=", name).execute();
      await announce(tx, { name, removed });
      return removed;
    });
  }

  async get(name: string): Promise<InstanceRecord> {
    const found = await findInstance(this.db, name);
    if (!found) throw new NotFoundError("instance", name);
    return found;
  }

  /** Instances matching the selectors (every one when none is given). */
  async list(selectors: readonly string[], field = "selectors"): Promise<InstanceRecord[]> {
    const all = await listInstances(this.db);
    if (selectors.length === 0) return all;
    return resolveSelectors(selectors, all, { field });
  }

  /** The `{"A": "healthy"}` map of the selected instances (`@all` when none). */
  async checkHealth(selectors: readonly string[]): Promise<Record<string, HealthStatus>> {
    const selected = await this.list(selectors, "instances");
    return Object.fromEntries(selected.map((i) => [i.name, i.health]));
  }

  /** Records a heartbeat; a heartbeat-probed instance becomes healthy by it (a reservation only once registered). */
  async heartbeat(name: string, activity: ActivityStatus | undefined): Promise<InstanceRecord> {
    return this.db.transaction().execute(async (tx) => {
      let record = await touchHeartbeat(tx, name, activity);
      if (!record) throw new NotFoundError("instance", name);
      if (record.probeMode === "heartbeat" && record.health !== "healthy" && !record.provisioning) {
        record = (await this.applyTransition(tx, record, "healthy", "heartbeat")) ?? record;
      }
      if (activity) await announce(tx, { name });
      return record;
    });
  }

  async reportActivity(name: string, activity: ActivityStatus, detail: string): Promise<InstanceRecord> {
    return this.db.transaction().execute(async (tx) => {
      const record = await setActivity(tx, name, activity, detail);
      if (!record) throw new NotFoundError("instance", name);
      await announce(tx, { name });
      return record;
    });
  }

  async history(name: string, limit: number): Promise<TransitionRecord[]> {
    await this.get(name);
    return listTransitions(this.db, name, limit);
  }

  /** An instance's activity changes, newest first (removed with the instance, like its health history). */
  async activityHistory(name: string, limit: number): Promise<ActivityTransitionRecord[]> {
    await this.get(name);
    return listActivityTransitions(this.db, name, limit);
  }

  /**
   * Claims the least recently used idle healthy instance of `pool` for
   * `holder`, atomically across replicas (FOR UPDATE SKIP LOCKED);
   * undefined when none is. AllocateInstance goes through PoolAllocator,
   * which adds the errors, waiting and provisioning on top.
   */
  async tryAllocate(pool: string, holder: string): Promise<InstanceRecord | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const claimed = await claimIdleInstance(tx, pool, holder);
      if (claimed) await announce(tx, { name: claimed.name });
      return claimed;
    });
  }

  /** Whether any instance (in any state) belongs to `pool`. */
  async poolHasMembers(pool: string): Promise<boolean> {
    const members = await this.db.selectFrom("instances").select("name").where("pool", "=", pool).limit(1).execute();
    return members.length > 0;
  }

  /** Returns an allocated instance to its pool; FAILED_PRECONDITION if not allocated (to `holder`). */
  async release(name: string, holder: string | undefined): Promise<InstanceRecord> {
    return this.db.transaction().execute(async (tx) => {
      const released = await releaseAllocation(tx, name, holder);
      if (released) {
        await announce(tx, { name });
        return released;
      }
      const current = await findInstance(tx, name);
      if (!current) throw new NotFoundError("instance", name);
      const why = current.allocatedTo ? `allocated to "${current.allocatedTo}", not "${holder}"` : "not allocated";
      throw new FailedPreconditionError("not_allocated", `instance "${name}" is ${why}`, { instance: name });
    });
  }

  /**
   * Moves an instance's health from `from` to `to` if it is still `from`
   * (compare-and-set), with one history row. Returns the new record, or
   * undefined when another writer got there first.
   */
  async transition(name: string, from: HealthStatus, to: HealthStatus, reason: string): Promise<InstanceRecord | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const current = await findInstance(tx, name);
      if (!current || current.health !== from) return undefined;
      return this.applyTransition(tx, current, to, reason);
    });
  }

  private async applyTransition(
    tx: Transaction<Database>,
    current: InstanceRecord,
    to: HealthStatus,
    reason: string,
  ): Promise<InstanceRecord | undefined> {
    const moved = await casHealth(tx, current.name, current.health, to);
    if (!moved) return undefined;
    await insertTransition(tx, current.name, current.health, to, reason);
    await announce(tx, { name: current.name });
    return moved;
  }
}

const announce = announceInstanceChange;

/** Domain rules, enforced here too so direct callers (config file, CLI) get the same errors as RPC callers. */
function validateNewInstance(input: NewInstance): void {
  if (!isValidInstanceName(input.name)) {
    throw new InvalidArgumentError(
      "name",
      `"${input.name}" is not a valid instance name: 1-63 letters, digits, '.', '_' or '-', starting and ending with a letter or digit`,
    );
  }
  const port = HOST_PORT.exec(input.address)?.[1];
  if (port === undefined || Number(port) < 1 || Number(port) > 65535) {
    throw new InvalidArgumentError("address", `"${input.address}" is not a host:port address (e.g. 127.0.0.1:7001)`);
  }
  if (input.pool !== "" && !isValidInstanceName(input.pool)) {
    throw new InvalidArgumentError("pool", `"${input.pool}" is not a valid pool name`);
  }
}
