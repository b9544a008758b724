import type { HealthStatusRegistry } from "./health-status-registry.js";

/** A server startServer has started. */
export interface RunningServer {
  /** The host it listens on, as given. */
  readonly host: string;
  /** The port bound (the real one when 0 was asked). */
  readonly port: number;
  /** `host:port` to dial, e.g. "127.0.0.1:50051" (IPv6 hosts bracketed). */
  readonly address: string;
  /** grpc.health.v1 statuses; modules may flip their services' readiness. */
  readonly health: HealthStatusRegistry;
  /**
   * Graceful shutdown: readiness off, modules' stop(), open streams ended,
   * connections drained (cut after drainTimeoutMs), then onClose hooks in
   * order. Idempotent: every call returns the same promise. Rejects with an
   * AggregateError, after running every step, if any step failed.
   */
  close(): Promise<void>;
}
