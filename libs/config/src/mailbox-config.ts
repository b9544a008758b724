import { z } from "zod";

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalHandle = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

/**
 * The mailbox's environment variables with their defaults, merged into the
 * one schema `loadConfig` parses (so a bad value is reported with the rest).
 */
export const mailboxEnvShape = {
  ORCHESTRATOR_HANDLE: optionalHandle,
  ORCHESTRATOR_MAILBOX_MAX_BODY_BYTES: int(1, 16 * 1024 * 1024).default(64 * 1024),
  ORCHESTRATOR_MAILBOX_MAX_PAYLOAD_BYTES: int(1, 16 * 1024 * 1024).default(64 * 1024),
  ORCHESTRATOR_MAILBOX_MAX_RECIPIENTS: int(1, 100_000).default(10_000),
  ORCHESTRATOR_MAILBOX_MAX_WAITERS: int(1, 1_000_000).default(10_000),
  ORCHESTRATOR_MAILBOX_RETENTION_MAX_AGE_MS: int(0, 3_153_600_000_000).default(7 * 24 * 3_600_000),
  ORCHESTRATOR_MAILBOX_RETENTION_MAX_PER_HANDLE: int(0, 100_000_000).default(10_000),
  ORCHESTRATOR_MAILBOX_RETENTION_INTERVAL_MS: int(1000, 86_400_000).default(60_000),
} as const;

type MailboxEnv = { [K in keyof typeof mailboxEnvShape]: z.output<(typeof mailboxEnvShape)[K]> };

/** What the retention sweeper removes, and how often it runs on each replica. */
export interface RetentionConfig {
  /** Messages older than this are deleted; 0 keeps them regardless of age. @default 604800000 (7 days) */
  readonly maxAgeMs: number;
  /** Only the newest N messages of each handle are kept; 0 keeps any number. @default 10000 */
  readonly maxPerHandle: number;
  /** Time between sweeps (each deletes in small batches, never locking senders out). @default 60000 */
  readonly intervalMs: number;
}

/** Settings of the mailbox service, and the CLI's own handle. */
export interface MailboxConfig {
  /**
   * The handle of whoever runs the CLI (an agent's terminal, a person):
   * default sender of `send`/`reply` and mailbox of `check`/`inbox`. From
   * ORCHESTRATOR_HANDLE; undefined when unset.
   */
  readonly handle: string | undefined;
  /** Largest message body, in UTF-8 bytes. @default 65536 */
  readonly maxBodyBytes: number;
  /** Largest JSON payload, in UTF-8 bytes. @default 65536 */
  readonly maxPayloadBytes: number;
  /** Most recipients one group send may resolve to. @default 10000 */
  readonly maxRecipients: number;
  /** Most waiting Check calls and Subscribe streams one replica holds at once; more get RESOURCE_EXHAUSTED. @default 10000 */
  readonly maxWaiters: number;
  readonly retention: RetentionConfig;
}

/** The frozen MailboxConfig from the parsed environment. */
export function mailboxConfigFrom(e: MailboxEnv): MailboxConfig {
  return Object.freeze({
    handle: e.ORCHESTRATOR_HANDLE,
    maxBodyBytes: e.ORCHESTRATOR_MAILBOX_MAX_BODY_BYTES,
    maxPayloadBytes: e.ORCHESTRATOR_MAILBOX_MAX_PAYLOAD_BYTES,
    maxRecipients: e.ORCHESTRATOR_MAILBOX_MAX_RECIPIENTS,
    maxWaiters: e.ORCHESTRATOR_MAILBOX_MAX_WAITERS,
    retention: Object.freeze({
      maxAgeMs: e.ORCHESTRATOR_MAILBOX_RETENTION_MAX_AGE_MS,
      maxPerHandle: e.ORCHESTRATOR_MAILBOX_RETENTION_MAX_PER_HANDLE,
      intervalMs: e.ORCHESTRATOR_MAILBOX_RETENTION_INTERVAL_MS,
    }),
  });
}

/** The defaults, for tests and in-process composition without an environment. */
export function defaultMailboxConfig(overrides: Partial<Omit<MailboxConfig, "retention">> & { retention?: Partial<RetentionConfig> } = {}): MailboxConfig {
  const base = mailboxConfigFrom(z.object(mailboxEnvShape).parse({}));
  return Object.freeze({ ...base, ...overrides, retention: Object.freeze({ ...base.retention, ...overrides.retention }) });
}
