/** kysely on pg or PGlite, versioned migrations, LISTEN/NOTIFY, query spans, test databases. */
export { openDatabase } from "./open-database.js";
export { databaseName, pgTypes } from "./open-postgres.js";
export { DEFAULT_PGLITE_DATA_DIR } from "./open-pglite.js";
export { DEFAULT_APPLICATION_NAME, listenerApplicationName, type DatabaseConfig } from "./database-config.js";
export type { DatabaseHandle } from "./database-handle.js";
export { migrateToLatest, MigrationFailedError } from "./migrate-to-latest.js";
export { migrations } from "./migrations/index.js";
export { notify } from "./notify.js";
export { pingDatabase } from "./ping-database.js";
export { executePrepared, markPrepared, preparedStatement, runThrough, type PreparedStatement, type RunStatement } from "./prepared-statement.js";
export { createTestDatabase, testDatabaseAdminUrl, writePgliteTemplate, type TestDatabase, type TestDatabaseOptions } from "./create-test-database.js";
export { TracedDialect } from "./traced-dialect.js";
export { QUERY_SPAN_NAME, TRACER_NAME } from "./traced-connection.js";
export type { Database } from "./schema/database.js";
export type { InstancesTable, InstanceKind, InstanceHealth, InstanceActivity, InstanceProbeMode } from "./schema/instances.js";
export type { HealthTransitionsTable } from "./schema/health-transitions.js";
export type { ActivityTransitionsTable } from "./schema/activity-transitions.js";
export type { PoolTemplatesTable } from "./schema/pool-templates.js";
export type { MailboxHeadsTable, MessagePriorityName, MessagesTable, MessageTypeName } from "./schema/messages.js";
export type { SessionEntriesTable, SessionsTable, SessionStateName } from "./schema/sessions.js";
export type {
  DecisionGatesTable,
  DispatchContextsTable,
  DispatchStatusName,
  GateStatusName,
  RunsTable,
  RunStatusName,
  SchedulerCursorsTable,
  SchedulerReplicasTable,
  TaskDepsTable,
  TasksTable,
  TaskStatusName,
} from "./schema/scheduler.js";
export type {
  Int8,
  Int8WithDefault,
  Json,
  JsonWithDefault,
  Nullable,
  NullableTimestamp,
  TimestampWithDefault,
} from "./schema/column-types.js";
