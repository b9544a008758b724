import type { Client, Code } from "@connectrpc/connect";
import type { HealthService, InstanceKind, ProbeMode } from "@orchestrator/contracts";
import type { Logger } from "pino";

/** The HealthService client a link's calls go out on. */
export type HealthClient = Client<typeof HealthService>;

/**
 * One HealthService call through a link: `send` makes it with the link's
 * client and abort signal. Resolves true when it was answered OK, false when
 * it failed or was skipped (not registered, link stopped); never rejects.
 * A failure is the link's to handle (NOT_FOUND registers again, others are
 * logged once while the control plane fails), except codes in `ignore`,
 * which are dropped without a word.
 */
export type HealthCall = (
  label: string,
  send: (health: HealthClient, signal: AbortSignal) => Promise<unknown>,
  options?: { readonly ignore?: readonly Code[] },
) => Promise<boolean>;

/** What every link to the health service takes; the worker's and the agent's registration options extend it. */
export interface InstanceLinkSettings {
  readonly name: string;
  /** host:port the control plane reaches the instance at. */
  readonly address: string;
  readonly pool: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Health service address. */
  readonly controlPlane: string;
  readonly apiKey?: string;
  readonly heartbeatIntervalMs: number;
  /** Deadline of each call. @default 5000 */
  readonly callTimeoutMs?: number;
}

/** Options of startInstanceLink. */
export interface InstanceLinkOptions extends InstanceLinkSettings {
  readonly kind: InstanceKind;
  /** With ProbeMode.HEARTBEAT a Heartbeat follows every registration at once: such an instance is healthy from its first heartbeat on. */
  readonly probeMode: ProbeMode;
  /** Runs inside every successful registration, before any queued call: report what the instance does now. */
  readonly afterRegister?: (call: HealthCall) => Promise<unknown>;
  /** Runs on every heartbeat tick while registered, after its Heartbeat. */
  readonly onTick?: (call: HealthCall) => Promise<unknown>;
  /** Where its lines go, as is: bind component and instance before. */
  readonly logger: Logger;
}

/** An instance's link to the health service (see startInstanceLink). */
export interface InstanceLink {
  /**
   * Registers for the first time and starts heartbeats. Rejects on a
   * configuration error (UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT);
   * any other failure (control plane not up yet) is logged and retried on
   * every heartbeat tick.
   */
  start(): Promise<void>;
  /** Queues a call; calls go out one at a time, in order, behind registrations and heartbeats. */
  readonly call: HealthCall;
  /** Stops heartbeats and aborts calls in flight. The registration stays. */
  stop(): Promise<void>;
  /**
   * Stops heartbeats, lets queued calls go out within half of `timeoutMs`,
   * stops, then DeregisterInstance within the rest (at least 500 ms) when it
   * was registered. NOT_FOUND counts as done; other failures are logged.
   */
  deregister(timeoutMs: number): Promise<void>;
}
