import { z } from "zod";

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));
const handle = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/, "must be a mailbox handle: 1-63 of letters, digits, '.', '_', '-'");

/**
 * The scheduler's environment variables with their defaults, merged into the
 * one schema `loadConfig` parses (so a bad value is reported with the rest).
 */
export const schedulerEnvShape = {
  ORCHESTRATOR_ROUTER_ADDR: optionalString,
  ORCHESTRATOR_MAILBOX_ADDR: optionalString,
  ORCHESTRATOR_SCHEDULER_HANDLE: handle.default("scheduler"),
  ORCHESTRATOR_SCHEDULER_GATE_HANDLE: handle.default("operator"),
  ORCHESTRATOR_SCHEDULER_DECOMPOSER: optionalString,
  ORCHESTRATOR_SCHEDULER_DECOMPOSE_TIMEOUT_MS: int(100, 3_600_000).default(120_000),
  ORCHESTRATOR_SCHEDULER_LEASE_MS: int(200, 600_000).default(10_000),
  ORCHESTRATOR_SCHEDULER_DISPATCH_TIMEOUT_MS: int(50, 86_400_000).default(60_000),
  ORCHESTRATOR_SCHEDULER_AGENT_TIMEOUT_MS: int(1000, 604_800_000).default(3_600_000),
  ORCHESTRATOR_SCHEDULER_MAX_CONCURRENCY: int(1, 1024).default(8),
} as const;

type SchedulerEnv = { [K in keyof typeof schedulerEnvShape]: z.output<(typeof schedulerEnvShape)[K]> };

/** Settings of the scheduler service. */
export interface SchedulerConfig {
  /** Where the router answers (Route); undefined: this process. From ORCHESTRATOR_ROUTER_ADDR. */
  readonly routerAddr: string | undefined;
  /** Where the mailbox answers; undefined: this process. From ORCHESTRATOR_MAILBOX_ADDR. */
  readonly mailboxAddr: string | undefined;
  /** The scheduler's own mailbox handle: sender of dispatch messages, reader of `worker_done`/`escalation`. @default "scheduler" */
  readonly handle: string;
  /** Handle that `decision_gate` messages go to. @default "operator" */
  readonly gateHandle: string;
  /** Selector of the instance that turns free-text run specs into task graphs; undefined: free text is refused. */
  readonly decomposer: string | undefined;
  /** Deadline of one decomposition (a Route call). @default 120000 */
  readonly decomposeTimeoutMs: number;
  /** Run lease (and replica liveness) duration; renewed every third of it. @default 10000 */
  readonly leaseMs: number;
  /** Deadline of a dispatch to a service instance when the task sets none. @default 60000 */
  readonly dispatchTimeoutMs: number;
  /** Deadline of a dispatch to an agent when the task sets none. @default 3600000 (1 h) */
  readonly agentTimeoutMs: number;
  /** Max concurrency of a run when neither the request nor the spec sets one. @default 8 */
  readonly maxConcurrency: number;
}

/** The frozen SchedulerConfig from the parsed environment. */
export function schedulerConfigFrom(e: SchedulerEnv): SchedulerConfig {
  return Object.freeze({
    routerAddr: e.ORCHESTRATOR_ROUTER_ADDR,
    mailboxAddr: e.ORCHESTRATOR_MAILBOX_ADDR,
    handle: e.ORCHESTRATOR_SCHEDULER_HANDLE,
    gateHandle: e.ORCHESTRATOR_SCHEDULER_GATE_HANDLE,
    decomposer: e.ORCHESTRATOR_SCHEDULER_DECOMPOSER,
    decomposeTimeoutMs: e.ORCHESTRATOR_SCHEDULER_DECOMPOSE_TIMEOUT_MS,
    leaseMs: e.ORCHESTRATOR_SCHEDULER_LEASE_MS,
    dispatchTimeoutMs: e.ORCHESTRATOR_SCHEDULER_DISPATCH_TIMEOUT_MS,
    agentTimeoutMs: e.ORCHESTRATOR_SCHEDULER_AGENT_TIMEOUT_MS,
    maxConcurrency: e.ORCHESTRATOR_SCHEDULER_MAX_CONCURRENCY,
  });
}

/** The defaults with overrides, for tests and in-process composition without an environment. */
export function defaultSchedulerConfig(overrides: Partial<SchedulerConfig> = {}): SchedulerConfig {
  return Object.freeze({ ...schedulerConfigFrom(z.object(schedulerEnvShape).parse({})), ...overrides });
}
