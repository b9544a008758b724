import type { ActivityTransitionsTable } from "./activity-transitions.js";
import type { HealthTransitionsTable } from "./health-transitions.js";
import type { PoolTemplatesTable } from "./pool-templates.js";
import type { InstancesTable } from "./instances.js";
import type { MailboxHeadsTable, MessagesTable } from "./messages.js";
import type { SessionEntriesTable, SessionsTable } from "./sessions.js";
import type {
  DecisionGatesTable,
  DispatchContextsTable,
  RunsTable,
  SchedulerCursorsTable,
  SchedulerReplicasTable,
  TaskDepsTable,
  TasksTable,
} from "./scheduler.js";

/**
 * Every table of the orchestrator database, by table name: the type
 * parameter of `Kysely<Database>`. Kept in step with `migrations/` by hand.
 */
export interface Database {
  instances: InstancesTable;
  health_transitions: HealthTransitionsTable;
  activity_transitions: ActivityTransitionsTable;
  pool_templates: PoolTemplatesTable;
  sessions: SessionsTable;
  session_entries: SessionEntriesTable;
  messages: MessagesTable;
  mailbox_heads: MailboxHeadsTable;
  runs: RunsTable;
  tasks: TasksTable;
  task_deps: TaskDepsTable;
  dispatch_contexts: DispatchContextsTable;
  decision_gates: DecisionGatesTable;
  scheduler_replicas: SchedulerReplicasTable;
  scheduler_cursors: SchedulerCursorsTable;
}
