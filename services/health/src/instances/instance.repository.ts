import type { Database } from "@orchestrator/db";
import type { Kysely, Selectable, Transaction } from "kysely";
import { sql } from "kysely";
import type { ActivityStatus, ActivityTransitionRecord, HealthStatus, InstanceRecord, NewInstance } from "./instance.js";

type Db = Kysely<Database> | Transaction<Database>;
type Row = Selectable<Database["instances"]>;

/** A stored row → the service layer's record. */
export function instanceFromRow(row: Row): InstanceRecord {
  return {
    name: row.name,
    address: row.address,
    kind: row.kind as InstanceRecord["kind"],
    pool: row.pool,
    labels: (typeof row.labels === "string" ? JSON.parse(row.labels) : row.labels) as Record<string, string>,
    health: row.health as HealthStatus,
    activity: row.activity as ActivityStatus,
    activityDetail: row.activity_detail,
    probeMode: row.probe_mode as InstanceRecord["probeMode"],
    allocatedTo: row.allocated_to,
    allocatedAt: row.allocated_at,
    registeredAt: row.registered_at,
    lastHeartbeatAt: row.last_heartbeat_at,
    healthChangedAt: row.health_changed_at,
    provisioning: row.provisioning,
    activityChangedAt: row.activity_changed_at,
    version: String(row.version),
  };
}

/** Inserts a new instance; returns undefined when the name is taken. */
export async function insertInstance(db: Db, instance: NewInstance): Promise<InstanceRecord | undefined> {
  const row = await db
    .insertInto("instances")
    .values(newValues(instance))
    .onConflict((oc) => oc.column("name").doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && instanceFromRow(row);
}

/**
 * Inserts or replaces an instance (a restarting instance re-registers). A
 * replaced instance starts over as `unknown` and `idle`, unallocated,
 * except over a provisioner's reservation (`provisioning`): the agent it
 * was provisioned for registers, keeps the reservation's holder (and is
 * `busy` when it has one), and the reservation ends.
 */
export async function upsertInstance(db: Db, instance: NewInstance): Promise<{ record: InstanceRecord; previous: HealthStatus | undefined }> {
  const previous = await db.selectFrom("instances").select("health").where("name", "=", instance.name).forUpdate().executeTakeFirst();
  const values = newValues(instance);
  const row = await db
    .insertInto("instances")
    .values(values)
    .onConflict((oc) =>
      oc.column("name").doUpdateSet({
        ...values,
        health: "unknown",
        activity: sql`case when instances.provisioning and instances.allocated_to is not null then 'busy' else 'idle' end`,
        activity_detail: "",
        allocated_to: sql`case when instances.provisioning then instances.allocated_to end`,
        allocated_at: sql`case when instances.provisioning then instances.allocated_at end`,
        provisioning: false,
        activity_changed_at: sql`now()`,
        registered_at: sql`now()`,
        health_changed_at: sql`now()`,
        version: sql`instances.version + 1`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return { record: instanceFromRow(row), previous: previous?.health as HealthStatus | undefined };
}

function newValues(instance: NewInstance) {
  return {
    name: instance.name,
    address: instance.address,
    kind: instance.kind,
    pool: instance.pool,
    labels: JSON.stringify(instance.labels),
    probe_mode: instance.probeMode,
  };
}

export async function findInstance(db: Db, name: string): Promise<InstanceRecord | undefined> {
  const row = await db.selectFrom("instances").selectAll().where("name", "=", name).executeTakeFirst();
  return row && instanceFromRow(row);
}

/** Every instance, in name order (the order selectors resolve in). */
export async function listInstances(db: Db): Promise<InstanceRecord[]> {
  const rows = await db.selectFrom("instances").selectAll().orderBy("name").execute();
  return rows.map(instanceFromRow);
}

export async function deleteInstance(db: Db, name: string): Promise<InstanceRecord | undefined> {
  const row = await db.deleteFrom("instances").where("name", "=", name).returningAll().executeTakeFirst();
  return row && instanceFromRow(row);
}

/**
 * The activity to store when an instance reports `activity`: an allocated
 * instance that reports `idle` stays `busy` (its allocation holds until
 * ReleaseInstance); a reservation (not registered yet) keeps its own;
 * anything else is taken as reported.
 */
/** Activities of a free instance: `idle`, and an agent's `completed` / `error` until its next dispatch. */
export const FREE_ACTIVITY_NAMES: ActivityStatus[] = ["idle", "completed", "error"];

function reportedActivity(activity: ActivityStatus) {
  return sql<ActivityStatus>`(case when instances.provisioning then instances.activity when ${activity}::text = 'idle' and instances.allocated_to is not null then 'busy' else ${activity}::text end)`;
}

/** Sets the activity as reported (see reportedActivity), stamping `activity_changed_at` when it changes. */
function activityUpdate(activity: ActivityStatus) {
  return {
    activity: reportedActivity(activity),
    activity_changed_at: sql<Date>`case when instances.activity is distinct from ${reportedActivity(activity)} then now() else instances.activity_changed_at end`,
  };
}

/** Records a heartbeat, and the activity when given (see reportedActivity). */
export async function touchHeartbeat(db: Db, name: string, activity: ActivityStatus | undefined): Promise<InstanceRecord | undefined> {
  const row = await db
    .updateTable("instances")
    .set({
      last_heartbeat_at: sql`now()`,
      ...(activity ? activityUpdate(activity) : {}),
      version: sql`version + 1`,
    })
    .where("name", "=", name)
    .returningAll()
    .executeTakeFirst();
  return row && instanceFromRow(row);
}

/**
 * Sets the activity as reported (an allocated instance reporting `idle`
 * stays `busy`) and its detail, and appends the change, if it is one, to
 * the activity history. Run it in a transaction: the row is locked first.
 */
export async function setActivity(db: Db, name: string, activity: ActivityStatus, detail: string): Promise<InstanceRecord | undefined> {
  const before = await db.selectFrom("instances").select("activity").where("name", "=", name).forUpdate().executeTakeFirst();
  if (!before) return undefined;
  const row = await db
    .updateTable("instances")
    .set({ ...activityUpdate(activity), activity_detail: detail, version: sql`version + 1` })
    .where("name", "=", name)
    .returningAll()
    .executeTakeFirst();
  if (row && row.activity !== before.activity) {
    await db.insertInto("activity_transitions").values({ name, from_activity: before.activity, to_activity: row.activity, detail }).execute();
  }
  return row && instanceFromRow(row);
}

/** An instance's activity changes, newest first. */
export async function listActivityTransitions(db: Db, name: string, limit: number): Promise<ActivityTransitionRecord[]> {
  const rows = await db.selectFrom("activity_transitions").selectAll().where("name", "=", name).orderBy("at", "desc").orderBy("id", "desc").limit(limit).execute();
  return rows.map((r) => ({ name: r.name, from: r.from_activity, to: r.to_activity, detail: r.detail, at: r.at }));
}

/**
 * Compare-and-set of an instance's health: only moves `from` → `to`, so two
 * replicas probing the same instance record each transition once.
 */
export async function casHealth(db: Db, name: string, from: HealthStatus, to: HealthStatus): Promise<InstanceRecord | undefined> {
  const row = await db
    .updateTable("instances")
    .set({ health: to, health_changed_at: sql`now()`, version: sql`version + 1` })
    .where("name", "=", name)
    .where("health", "=", from)
    .returningAll()
    .executeTakeFirst();
  return row && instanceFromRow(row);
}

/**
 * Takes the least recently allocated free (idle, or an agent showing its last
 * run's `completed` / `error`), healthy, unallocated instance of a pool and
 * marks it busy for `holder`. `FOR UPDATE SKIP LOCKED` makes
 * concurrent callers (on any replica) take different rows and never wait on
 * each other; undefined when none is left.
 */
export async function claimIdleInstance(db: Db, pool: string, holder: string): Promise<InstanceRecord | undefined> {
  const row = await db
    .updateTable("instances")
    .set({
      activity: "busy",
      activity_changed_at: sql`case when instances.activity = 'busy' then instances.activity_changed_at else now() end`,
      allocated_to: holder,
      allocated_at: sql`now()`,
      version: sql`version + 1`,
    })
    .where(
      "name",
      "=",
      db
        .selectFrom("instances")
        .select("name")
        .where("pool", "=", pool)
        .where("activity", "in", FREE_ACTIVITY_NAMES)
        .where("health", "=", "healthy")
        .where("allocated_to", "is", null)
        .where("provisioning", "=", false)
        .orderBy(sql`allocated_at asc nulls first`)
        .orderBy("name")
        .limit(1)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .executeTakeFirst();
  return row && instanceFromRow(row);
}

/**
 * Frees an allocated instance (idle again, or still `completed` / `error`
 * as an agent reported after its run, until its next dispatch), optionally
 * only for its holder.
 * A provisioner's reservation loses its holder but stays `busy`
 * (provisioning) until the agent registers.
 */
export async function releaseAllocation(db: Db, name: string, holder: string | undefined): Promise<InstanceRecord | undefined> {
  let q = db
    .updateTable("instances")
    .set({
      activity: sql`case when instances.provisioning or instances.activity in ('completed', 'error') then instances.activity else 'idle' end`,
      activity_detail: sql`case when instances.provisioning or instances.activity in ('completed', 'error') then instances.activity_detail else '' end`,
      activity_changed_at: sql`case when instances.provisioning or instances.activity in ('idle', 'completed', 'error') then instances.activity_changed_at else now() end`,
      allocated_to: null,
      version: sql`version + 1`,
    })
    .where("name", "=", name)
    .where("allocated_to", "is not", null);
  if (holder) q = q.where("allocated_to", "=", holder);
  const row = await q.returningAll().executeTakeFirst();
  return row && instanceFromRow(row);
}

/**
 * Heartbeat-probed instances whose last heartbeat is older than `timeoutMs`
 * and are not yet down. Reservations (`provisioning`) are left out: their
 * provisioner waits for them and removes them when they fail.
 */
export async function findStaleHeartbeats(db: Db, timeoutMs: number): Promise<InstanceRecord[]> {
  const rows = await db
    .selectFrom("instances")
    .selectAll()
    .where("probe_mode", "=", "heartbeat")
    .where("health", "!=", "down")
    .where("provisioning", "=", false)
    .where((eb) =>
      eb.or([
        eb("last_heartbeat_at", "<", sql<Date>`now() - make_interval(secs => ${timeoutMs / 1000})`),
        eb.and([eb("last_heartbeat_at", "is", null), eb("registered_at", "<", sql<Date>`now() - make_interval(secs => ${timeoutMs / 1000})`)]),
      ]),
    )
    .execute();
  return rows.map(instanceFromRow);
}
