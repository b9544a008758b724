import { z } from "zod";
import { apiKeysFrom, clientAddress } from "./client-config.js";
import { routerConfigFrom, routerEnvShape, type RouterConfig } from "./router-config.js";
import { mailboxConfigFrom, mailboxEnvShape, type MailboxConfig } from "./mailbox-config.js";
import { schedulerConfigFrom, schedulerEnvShape, type SchedulerConfig } from "./scheduler-config.js";

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

/**
 * Every environment variable the orchestrator reads, with its default. This is
 * the one place `process.env` is interpreted; everything else receives the
 * frozen result.
 */
const envSchema = z.object({
  ORCHESTRATOR_HOST: z.string().min(1).default("127.0.0.1"),
  ORCHESTRATOR_PORT: int(0, 65535).default(50051),
  ORCHESTRATOR_ADDR: optionalString,
  ORCHESTRATOR_API_KEY: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      // A blank key would silently turn auth off: refuse it, naming which entry.
      if (v === undefined || v === "") return;
      const entries = v.split(",");
      const blank = entries.findIndex((k) => k.length > 0 && k.trim() === "");
      if (v.trim() === "") ctx.addIssue({ code: "custom", message: "must not be only whitespace: unset it to turn auth off, or give a key" });
      else if (blank >= 0) ctx.addIssue({ code: "custom", message: `entry ${blank + 1} of ${entries.length} is only whitespace: remove it or give a key` });
    })
    .transform((v) => (v === undefined || v.trim() === "" ? undefined : v)),
  ORCHESTRATOR_HEALTH_ADDR: optionalString,
  ORCHESTRATOR_DATA_DIR: z.string().min(1).default(".orchestrator"),
  ORCHESTRATOR_INSTANCES_FILE: optionalString,
  ORCHESTRATOR_POOLS_FILE: optionalString,
  ORCHESTRATOR_PROBE_INTERVAL_MS: int(50, 600_000).default(500),
  ORCHESTRATOR_PROBE_TIMEOUT_MS: int(50, 600_000).default(400),
  ORCHESTRATOR_PROBE_FAILURE_THRESHOLD: int(1, 100).default(2),
  ORCHESTRATOR_PROBE_SUCCESS_THRESHOLD: int(1, 100).default(1),
  ORCHESTRATOR_HEARTBEAT_TIMEOUT_MS: int(100, 3_600_000).default(5000),
  ORCHESTRATOR_DRAIN_TIMEOUT_MS: int(0, 600_000).default(10_000),
  ORCHESTRATOR_DB_UNREACHABLE_GRACE_MS: int(0, 3_600_000).default(10_000),
  ORCHESTRATOR_DB_PROBE_INTERVAL_MS: int(50, 600_000).default(1000),
  ORCHESTRATOR_READ_MAX_BYTES: int(1024, 1024 * 1024 * 1024).default(16 * 1024 * 1024),
  DATABASE_URL: optionalString,
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ...routerEnvShape,
  ...mailboxEnvShape,
  ...schedulerEnvShape,
});

/** Probing settings of the health service. */
export interface ProbeConfig {
  /** Time between probes of one instance (and between Watch reconnects). @default 500 */
  readonly intervalMs: number;
  /** Deadline of one Check probe. @default 400 */
  readonly timeoutMs: number;
  /** Consecutive failures that make an instance `down`. @default 2 */
  readonly failureThreshold: number;
  /** Consecutive successes that make a failing instance `healthy`. @default 1 */
  readonly successThreshold: number;
  /** Heartbeat-probed instances are `down` after this long without one. @default 5000 */
  readonly heartbeatTimeoutMs: number;
}

/** When a replica stops reporting ready because its database is gone. */
export interface ReadinessConfig {
  /**
   * How long the database may be unreachable before the services that need
   * it report NOT_SERVING (readiness); `""` (liveness) is never affected.
   * @default 10000
   */
  readonly databaseGraceMs: number;
  /** Time between database readiness probes (`SELECT 1`). @default 1000 */
  readonly databaseProbeIntervalMs: number;
}

/** The whole configuration of one orchestrator process, parsed once at boot. */
export interface OrchestratorConfig {
  /** Listen host. Beyond loopback, an API key is required. */
  readonly host: string;
  readonly port: number;
  /** Accepted API keys (ORCHESTRATOR_API_KEY, comma-separated for rotation). */
  readonly apiKeys: readonly string[];
  /** Address clients (CLI, services calling each other) dial. @default "127.0.0.1:50051" */
  readonly addr: string;
  /** Where the health service is, for services and workers that call it. @default addr */
  readonly healthAddr: string;
  /** Postgres URL; absent means embedded PGlite under dataDir. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** YAML/JSON file of instances registered at start. */
  readonly instancesFile: string | undefined;
  /** YAML/JSON file of pool templates (how the health service provisions `NAME-N` agents); read once at start. */
  readonly poolsFile: string | undefined;
  readonly probe: ProbeConfig;
  readonly drainTimeoutMs: number;
  readonly readiness: ReadinessConfig;
  /** Largest request message (and REST body) accepted, in bytes (ORCHESTRATOR_READ_MAX_BYTES). @default 16777216 */
  readonly readMaxBytes: number;
  readonly otlpEndpoint: string | undefined;
  readonly logLevel: string;
  readonly router: RouterConfig;
  readonly mailbox: MailboxConfig;
  readonly scheduler: SchedulerConfig;
}

/** A configuration variable broke its rule; the message names it. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Parses the environment once. Throws ConfigError naming every bad variable
 * and its rule, so a process fails at start instead of at first use.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): OrchestratorConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const e = parsed.data;
  const apiKeys = apiKeysFrom(e.ORCHESTRATOR_API_KEY);
  const addr = clientAddress(e.ORCHESTRATOR_HOST, e.ORCHESTRATOR_PORT, e.ORCHESTRATOR_ADDR);
  return Object.freeze({
    host: e.ORCHESTRATOR_HOST,
    port: e.ORCHESTRATOR_PORT,
    apiKeys: Object.freeze(apiKeys),
    addr,
    healthAddr: e.ORCHESTRATOR_HEALTH_ADDR ?? addr,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.ORCHESTRATOR_DATA_DIR,
    instancesFile: e.ORCHESTRATOR_INSTANCES_FILE,
    poolsFile: e.ORCHESTRATOR_POOLS_FILE,
    probe: Object.freeze({
      intervalMs: e.ORCHESTRATOR_PROBE_INTERVAL_MS,
      timeoutMs: e.ORCHESTRATOR_PROBE_TIMEOUT_MS,
      failureThreshold: e.ORCHESTRATOR_PROBE_FAILURE_THRESHOLD,
      successThreshold: e.ORCHESTRATOR_PROBE_SUCCESS_THRESHOLD,
      heartbeatTimeoutMs: e.ORCHESTRATOR_HEARTBEAT_TIMEOUT_MS,
    }),
    drainTimeoutMs: e.ORCHESTRATOR_DRAIN_TIMEOUT_MS,
    readiness: Object.freeze({ databaseGraceMs: e.ORCHESTRATOR_DB_UNREACHABLE_GRACE_MS, databaseProbeIntervalMs: e.ORCHESTRATOR_DB_PROBE_INTERVAL_MS }),
    readMaxBytes: e.ORCHESTRATOR_READ_MAX_BYTES,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    logLevel: e.LOG_LEVEL,
    router: routerConfigFrom(e),
    mailbox: mailboxConfigFrom(e),
    scheduler: schedulerConfigFrom(e),
  });
}
