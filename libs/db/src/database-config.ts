/** Where the database is and how to reach it; parsed from the environment by the caller. */
export interface DatabaseConfig {
  /** postgres://... When absent, embedded PGlite at `dataDir`. */
  url?: string;
  /** @default ".orchestrator/pgdata" (PGlite only); "memory://" for an in-memory PGlite. */
  dataDir?: string;
  /**
   * PGlite only: start from this data directory dump (PGlite's
   * `dumpDataDir`) instead of running initdb: tests start from a migrated
   * template this way (see createTestDatabase).
   */
  pgliteTemplate?: Blob;
  /** pg pool size. @default 10 */
  poolMax?: number;
  /**
   * How long a query waits for a pooled connection (a new one included)
   * before it fails; classified as `database_unavailable`, so callers see
   * UNAVAILABLE instead of hanging (and then seeing their own deadline)
   * while the database restarts. Long enough for a burst of a thousand
   * waiting checks to queue on a small pool on a busy machine.
   * @default 10000
   */
  connectTimeoutMs?: number;
  /**
   * `application_name` of pool sessions; the LISTEN session uses
   * `${applicationName}:listen`. @default "orchestrator"
   */
  applicationName?: string;
  /**
   * Receives errors with no caller to throw to: idle pool clients and the
   * listener losing their connection, failed reconnects, exceptions thrown by
   * `listen`/`onReconnect` callbacks. @default ignore them
   */
  onError?: (error: unknown) => void;
}

/** `applicationName` default. */
export const DEFAULT_APPLICATION_NAME = "orchestrator";

/** The LISTEN session's `application_name` for a given pool `applicationName`. */
export function listenerApplicationName(applicationName: string = DEFAULT_APPLICATION_NAME): string {
  return `${applicationName}:listen`;
}
