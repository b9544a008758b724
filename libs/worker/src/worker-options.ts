import type { JsonValue } from "@bufbuild/protobuf";
import type { ExecuteRequest } from "@orchestrator/contracts";
import type { Logger } from "pino";

/** What a WorkHandler gets besides the request. */
export interface WorkContext {
  /**
   * Aborts when the caller cancels or its deadline passes (Execute), or when
   * the scheduler withdraws the task, its timeout passes or its Work stream
   * breaks (a task pushed down the stream); stop work then.
   */
  readonly signal: AbortSignal;
  /** The name of this instance. */
  readonly instance: string;
  /** `request.payload` as plain JSON (null when absent). */
  readonly payload: JsonValue;
}

/**
 * Does one unit of work and answers its result as JSON. Throw a ConnectError
 * to answer a gRPC code: the router retries UNAVAILABLE and RESOURCE_EXHAUSTED
 * (on another instance), other codes are final for a Route. The scheduler
 * counts any error as a failed attempt of the task: it goes to another
 * instance of the target until the task's `maxAttempts` consecutive failures
 * break its circuit (the task is then `failed`).
 */
export type WorkHandler = (request: ExecuteRequest, context: WorkContext) => Promise<JsonValue>;

/** Options of startWorker. */
export interface WorkerOptions {
  /** Instance name: unique, 1-63 of `[A-Za-z0-9_.-]`, starting and ending with a letter or digit. */
  name: string;
  /** @default "default" */
  pool?: string;
  /** @default {} */
  labels?: Record<string, string>;
  /** Interface to listen on. @default "127.0.0.1" */
  host?: string;
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /**
   * host:port the control plane reaches this worker at, when it differs from
   * the listening address (e.g. listening on 0.0.0.0 in a pod).
   * @default the server's address
   */
  advertiseAddress?: string;
  /** Control-plane address (health service) to register with; when absent the worker runs unregistered. */
  controlPlane?: string;
  /** API key sent to the control plane. */
  apiKey?: string;
  /**
   * Keys this worker's own server accepts (Bearer). The control plane sends
   * its key when it delegates work, so the default is the same key.
   * @default apiKey ? [apiKey] : [] (no auth, loopback only)
   */
  serverApiKeys?: readonly string[];
  /** @default 1000 */
  heartbeatIntervalMs?: number;
  /**
   * host:port of the scheduler serving WorkerService.Work: once registered,
   * the worker holds a Work stream there and takes tasks pushed down it (as
   * well as unary Execute calls). `false`: no stream, unary Execute only. The
   * stream needs a registration, so none is opened without `controlPlane`;
   * a control plane that does not serve Work answers UNIMPLEMENTED and the
   * worker goes on with Execute only.
   * @default controlPlane (with `orchestrator up` every service answers on one port)
   */
  scheduler?: string | false;
  /**
   * Tasks of the Work stream run at once at most (WorkHello.slots, 1-10000):
   * the scheduler pushes no more. Unary Execute calls are not limited by it.
   * @default 16
   */
  slots?: number;
  handler: WorkHandler;
  logger: Logger;
}

/** A started worker. */
export interface RunningWorker {
  readonly name: string;
  /** host:port the worker serves on. */
  readonly address: string;
  /**
   * Closes the Work stream (tasks in flight finish and answer, up to 10 s),
   * stops heartbeats and closes the server (draining calls). The
   * registration stays: the health service sees the instance down. Idempotent.
   */
  close(): Promise<void>;
}
