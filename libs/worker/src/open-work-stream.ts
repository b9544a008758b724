import { setTimeout as sleep } from "node:timers/promises";
import { Code, ConnectError } from "@connectrpc/connect";
import { createTransport, RepeatedFailureLog } from "@orchestrator/rpc";
import { context, ROOT_CONTEXT } from "@opentelemetry/api";
import { ExponentialBackoff, type IBackoff } from "cockatiel";
import type { Logger } from "pino";
import type { ActivityTracker } from "./activity-tracker.js";
import { WorkSession } from "./work-session.js";
import type { WorkHandler } from "./worker-options.js";

/** Options of openWorkStream. */
export interface WorkStreamOptions {
  /** host:port of the scheduler serving WorkerService.Work. */
  readonly address: string;
  /** Sent as Bearer key. */
  readonly apiKey?: string;
  /** The instance's registered name (WorkHello.instance). */
  readonly instance: string;
  /** Assignments in flight at most (WorkHello.slots, 1-10000). */
  readonly slots: number;
  readonly handler: WorkHandler;
  /** Every assignment counts as a call in flight. */
  readonly tracker: ActivityTracker;
  readonly logger: Logger;
  /** First reconnect delay; grows exponentially, with jitter, up to maxBackoffMs. @default 100 */
  readonly initialBackoffMs?: number;
  /** @default 5000 */
  readonly maxBackoffMs?: number;
  /** How long close() lets assignments in flight finish and answer. @default 10000 */
  readonly drainTimeoutMs?: number;
}

/** A worker's Work stream, kept open by openWorkStream. */
export interface WorkStream {
  /**
   * Stops reconnecting, lets assignments in flight finish (up to
   * drainTimeoutMs) and answers them, half-closes the stream and resolves
   * once it ended. Idempotent.
   */
  close(): Promise<void>;
}

/** A stream that lasted this long (or got a message) was accepted: the next failure starts a new backoff. */
const STABLE_AFTER_MS = 1000;
const WHAT = "work stream";

/**
 * Keeps one WorkerService.Work stream open to the scheduler at `address`:
 * says hello (instance, slots), runs every assignment pushed down it through
 * `handler` (see WorkSession) and answers on the same stream. When the
 * stream ends or fails it opens a new one after an exponential backoff with
 * jitter; a failure is logged once while it lasts (RepeatedFailureLog). An
 * UNIMPLEMENTED answer (no scheduler at that address) ends it for good with
 * one warning: the worker keeps serving unary Execute.
 */
export function openWorkStream(o: WorkStreamOptions): WorkStream {
  const logger = o.logger.child({ component: "work-stream", scheduler: o.address });
  const failures = new RepeatedFailureLog(logger);
  const transport = createTransport({ address: o.address, apiKey: o.apiKey, timeoutMs: 0 });
  const stop = new AbortController();
  const backoffs = new ExponentialBackoff({ initialDelay: o.initialBackoffMs ?? 100, maxDelay: o.maxBackoffMs ?? 5000 });
  let session: WorkSession | undefined;
  let closing: Promise<void> | undefined;

  async function keepOpen(): Promise<void> {
    let backoff: IBackoff<unknown> | undefined;
    while (!stop.signal.aborted) {
      session = new WorkSession({ transport, instance: o.instance, slots: o.slots, handler: o.handler, tracker: o.tracker, logger });
      let stableTimer: NodeJS.Timeout | undefined;
      const stable = () => {
        clearTimeout(stableTimer);
        stableTimer = undefined;
        if (backoff === undefined) return;
        backoff = undefined;
        failures.succeeded(WHAT);
      };
      const established = () => {
        logger.debug("work stream open");
        stableTimer ??= setTimeout(stable, STABLE_AFTER_MS).unref();
      };
      // A message proves the stream works; stable() is cheap once the backoff was reset.
      const onMessage = () => backoff !== undefined && stable();
      try {
        await session.run(established, onMessage);
        if (stop.signal.aborted) return;
        failures.failed(WHAT, new Error("the scheduler ended the stream"));
      } catch (err) {
        if (stop.signal.aborted) return;
        if (ConnectError.from(err).code === Code.Unimplemented) {
          logger.warn("no scheduler serves WorkerService.Work at this address; serving unary Execute only");
          return;
        }
        failures.failed(WHAT, err);
      } finally {
        clearTimeout(stableTimer);
      }
      backoff = backoff ? backoff.next(undefined) : backoffs.next();
      await sleep(backoff.duration, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  }

  // The stream's CLIENT span and the handlers' contexts hang off no caller's trace.
  const running = context.with(ROOT_CONTEXT, keepOpen);
  return {
    close() {
      closing ??= (async () => {
        stop.abort();
        await session?.drain(o.drainTimeoutMs ?? 10_000);
        await running;
        failures.flush();
      })();
      return closing;
    },
  };
}
