import { sql, type Kysely } from "kysely";

/**
 * The scheduler: runs, tasks and their dependency edges, dispatch contexts,
 * decision gates, replica leases and the mailbox cursor.
 *
 * - `tasks.pending_deps` counts dependencies not completed yet: completing a
 *   task decrements its dependents' counters and promotes those reaching 0
 *   (in the same transaction), so promotion costs O(dependents).
 * - At most one live (`dispatched`) context per task, and one context per
 *   (task, attempt): the database itself refuses a double dispatch.
 * - `runs.lease_owner/lease_expires_at` is the run's lease; a replica's
 *   liveness is its `scheduler_replicas.expires_at`.
 * - `scheduler_cursors` is the last mailbox `seq` whose worker report was
 *   processed, per handle, advanced in the transaction that processed it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("runs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("spec", "text", (c) => c.notNull())
    .addColumn("spec_format", "text", (c) => c.notNull())
    .addColumn("graph", "jsonb")
    .addColumn("max_concurrency", "integer", (c) => c.notNull())
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("result", "jsonb")
    .addColumn("error", "text")
    .addColumn("lease_owner", "text")
    .addColumn("lease_expires_at", "timestamptz")
    .addColumn("takeovers", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    .addCheckConstraint(
      "runs_status_check",
      sql`status in ('decomposing', 'dispatching', 'monitoring', 'merging', 'done', 'failed', 'stopped')`,
    )
    .execute();
  await sql`create index runs_active_lease_idx on runs (lease_expires_at) where status in ('decomposing', 'dispatching', 'monitoring', 'merging')`.execute(db);
  await db.schema.createIndex("runs_created_at_idx").on("runs").column("created_at").execute();

  await db.schema
    .createTable("tasks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seq", "bigint", (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn("run_id", "text", (c) => c.references("runs.id").onDelete("cascade"))
    .addColumn("key", "text")
    .addColumn("parent_id", "text")
    .addColumn("spec", "text", (c) => c.notNull())
    .addColumn("payload", "jsonb")
    .addColumn("target", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("priority", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("max_attempts", "integer", (c) => c.notNull().defaultTo(3))
    .addColumn("timeout_ms", "integer")
    .addColumn("pending_deps", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("result", "jsonb")
    .addColumn("error", "text")
    .addColumn("failure_reason", "text")
    .addColumn("failed_dependency", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    .addCheckConstraint("tasks_status_check", sql`status in ('pending', 'ready', 'dispatched', 'completed', 'failed', 'blocked')`)
    .execute();
  await sql`create index tasks_ready_idx on tasks (run_id, priority desc, seq) where status = 'ready'`.execute(db);
  await db.schema.createIndex("tasks_run_status_idx").on("tasks").columns(["run_id", "status"]).execute();
  await db.schema.createIndex("tasks_status_seq_idx").on("tasks").columns(["status", "seq"]).execute();
  await db.schema.createIndex("tasks_seq_idx").on("tasks").column("seq").execute();
  await sql`create index tasks_parent_idx on tasks (parent_id) where parent_id is not null`.execute(db);

  await db.schema
    .createTable("task_deps")
    .addColumn("task_id", "text", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
    .addColumn("dep_id", "text", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("task_deps_pkey", ["task_id", "dep_id"])
    .execute();
  await db.schema.createIndex("task_deps_dep_idx").on("task_deps").column("dep_id").execute();

  await db.schema
    .createTable("dispatch_contexts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("task_id", "text", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
    .addColumn("run_id", "text")
    .addColumn("attempt", "integer", (c) => c.notNull())
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("instance", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("consecutive_failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("inject", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("reply_to", "text", (c) => c.notNull())
    .addColumn("preamble", "text", (c) => c.notNull())
    .addColumn("owner", "text", (c) => c.notNull())
    .addColumn("message_id", "text")
    .addColumn("trace_id", "text")
    .addColumn("traceparent", "text")
    .addColumn("result", "jsonb")
    .addColumn("error", "text")
    .addColumn("dispatched_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("deadline_at", "timestamptz", (c) => c.notNull())
    .addColumn("sent_at", "timestamptz")
    .addColumn("finished_at", "timestamptz")
    .addUniqueConstraint("dispatch_contexts_task_attempt_key", ["task_id", "attempt"])
    .addCheckConstraint("dispatch_contexts_kind_check", sql`kind in ('service', 'agent')`)
    .addCheckConstraint(
      "dispatch_contexts_status_check",
      sql`status in ('dispatched', 'completed', 'failed', 'timed_out', 'circuit_broken', 'gated', 'escalated', 'abandoned', 'cancelled')`,
    )
    .execute();
  await sql`create unique index dispatch_contexts_live_task_idx on dispatch_contexts (task_id) where status = 'dispatched'`.execute(db);
  await sql`create index dispatch_contexts_live_deadline_idx on dispatch_contexts (deadline_at) where status = 'dispatched'`.execute(db);
  await sql`create index dispatch_contexts_live_owner_idx on dispatch_contexts (owner) where status = 'dispatched'`.execute(db);
  await sql`create index dispatch_contexts_live_instance_idx on dispatch_contexts (instance) where status = 'dispatched'`.execute(db);

  await db.schema
    .createTable("decision_gates")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("task_id", "text", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
    .addColumn("question", "text", (c) => c.notNull())
    .addColumn("options", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("default_option", "text")
    .addColumn("deadline_at", "timestamptz")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("resolution", "text")
    .addColumn("resolved_by", "text")
    .addColumn("notify_handle", "text", (c) => c.notNull())
    .addColumn("message_id", "text")
    .addColumn("source", "text", (c) => c.notNull().defaultTo("api"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("resolved_at", "timestamptz")
    .addCheckConstraint("decision_gates_status_check", sql`status in ('pending', 'resolved', 'timeout', 'cancelled')`)
    .execute();
  await db.schema.createIndex("decision_gates_task_idx").on("decision_gates").column("task_id").execute();
  await sql`create index decision_gates_deadline_idx on decision_gates (deadline_at) where status = 'pending' and deadline_at is not null`.execute(db);

  await db.schema
    .createTable("scheduler_replicas")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("started_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("scheduler_cursors")
    .addColumn("handle", "text", (c) => c.primaryKey())
    .addColumn("last_seq", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
}

/** Drops every scheduler table. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["scheduler_cursors", "scheduler_replicas", "decision_gates", "dispatch_contexts", "task_deps", "tasks", "runs"]) {
    await db.schema.dropTable(table).execute();
  }
}
