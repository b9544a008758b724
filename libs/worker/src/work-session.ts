import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type Transport } from "@connectrpc/connect";
import { type WorkAssignment, WorkerService, type WorkRequest, type WorkRequestSchema, type WorkResponse } from "@orchestrator/contracts";
import { pushable } from "it-pushable";
import type { Logger } from "pino";
import type { ActivityTracker } from "./activity-tracker.js";
import { AssignmentAbort } from "./assignment-abort.js";
import { durationMs, runAssignment } from "./run-assignment.js";
import { type WorkOutcome, workError, workResult } from "./work-result.js";
import type { WorkHandler } from "./worker-options.js";

/** What every WorkSession of a worker shares. */
export interface WorkSessionOptions {
  /** The scheduler's transport (createTransport, no default deadline): the stream is called on it directly, without a generated client's generator wrapping every message. */
  readonly transport: Transport;
  readonly instance: string;
  readonly slots: number;
  readonly handler: WorkHandler;
  readonly tracker: ActivityTracker;
  readonly logger: Logger;
}

/** How long a half-closed stream may take to be ended by the scheduler, at least. */
const END_GRACE_MS = 1000;

/**
 * One Work stream, from hello to its end. Runs each assignment pushed down
 * it (aborting its signal on WorkCancel, on its timeout, and when the stream
 * breaks) and answers on this stream only: answers of a stream that broke
 * are dropped (the scheduler dispatches those assignments again).
 */
export class WorkSession {
  readonly #o: WorkSessionOptions;
  readonly #outbound = pushable<MessageInitShape<typeof WorkRequestSchema>>({ objectMode: true });
  readonly #call = new AbortController();
  readonly #running = new Map<string, { readonly abort: AssignmentAbort; readonly finished: Promise<void> }>();
  /** Answers go out while true: until the stream ends or the worker half-closes it. */
  #open = true;
  #draining = false;
  /** Answers not yet handed to the stream (see #answer). */
  readonly #answers: WorkRequest[] = [];
  readonly #flush = (): void => {
    for (const answer of this.#answers.splice(0)) if (this.#open) this.#outbound.push(answer);
  };
  #ended: Promise<void> | undefined;

  constructor(o: WorkSessionOptions) {
    this.#o = o;
  }

  /**
   * Opens the stream, says hello and serves it until it ends. Resolves when
   * the scheduler ends it, rejects when it fails; `onEstablished` is called
   * when the scheduler accepted it (response headers or a first message).
   */
  run(onEstablished: () => void, onMessage: () => void): Promise<void> {
    this.#ended ??= this.#serve(onEstablished, onMessage);
    return this.#ended;
  }

  /**
   * Stops taking assignments (new ones are answered UNAVAILABLE, so the
   * scheduler re-dispatches them at once), lets those in flight finish and
   * answer within `timeoutMs` (then aborts them), half-closes the stream and
   * waits for the scheduler to end it (cancels it after the rest of
   * `timeoutMs`, at least a second).
   */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    this.#draining = true;
    if (this.#running.size > 0) {
      const timer = boundedWait(timeoutMs);
      await Promise.race([Promise.all([...this.#running.values()].map((r) => r.finished)), timer.promise]);
      timer.cancel();
      for (const { abort } of this.#running.values()) abort.abort(new ConnectError("the worker is shutting down", Code.Unavailable));
    }
    this.#flush(); // answers of the assignments that just finished go out before the half-close
    this.#open = false;
    this.#outbound.end();
    const timer = boundedWait(Math.max(END_GRACE_MS, deadline - Date.now()));
    await Promise.race([this.#ended?.catch(() => undefined), timer.promise]);
    timer.cancel();
    this.#call.abort();
  }

  async #serve(onEstablished: () => void, onMessage: () => void): Promise<void> {
    const { transport, instance, slots } = this.#o;
    this.#outbound.push({ kind: { case: "hello", value: { instance, slots } } });
    try {
      // What client.work() does, less its async generator around the response stream.
      const call = await transport.stream(WorkerService.method.work, this.#call.signal, undefined, undefined, this.#outbound, undefined);
      onEstablished();
      for await (const response of call.message as AsyncIterable<WorkResponse>) {
        onMessage();
        if (response.kind.case === "assignment") this.#start(response.kind.value);
        else if (response.kind.case === "cancel") this.#running.get(response.kind.value.id)?.abort.abort(new ConnectError("cancelled by the scheduler", Code.Canceled));
      }
    } finally {
      this.#open = false;
      this.#outbound.end();
      for (const { abort } of this.#running.values()) abort.abort(new ConnectError("the work stream broke", Code.Unavailable));
      this.#call.abort();
    }
  }

  #start(assignment: WorkAssignment): void {
    const { id } = assignment;
    if (this.#draining) {
      this.#answer(id, workError(Code.Unavailable, "the worker is shutting down"));
      return;
    }
    if (this.#running.has(id)) {
      this.#o.logger.warn({ id }, "assignment already running; ignored");
      return;
    }
    // No AbortController nor timer unless the handler reads its signal (see AssignmentAbort).
    const abort = new AssignmentAbort(durationMs(assignment.timeout));
    const done = this.#o.tracker.begin();
    // runAssignment never rejects: one callback, not then + finally.
    const finished = runAssignment(assignment, { handler: this.#o.handler, instance: this.#o.instance, abort, logger: this.#o.logger }).then((outcome) => {
      try {
        this.#answer(id, outcome);
      } finally {
        abort.dispose();
        done();
        this.#running.delete(id);
      }
    });
    this.#running.set(id, { abort, finished });
  }

  /**
   * Queues an answer; they go out together once the event loop has run what
   * arrived with it (a burst of assignments reaches every handler before any
   * answer is encoded and written).
   */
  #answer(id: string, outcome: WorkOutcome): void {
    if (!this.#open) return;
    this.#answers.push(workResult(id, outcome));
    if (this.#answers.length === 1) setImmediate(this.#flush);
  }
}

/** A wait of `ms` that can be cancelled (so a finished drain leaves no timer behind). */
function boundedWait(ms: number): { promise: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return { promise, cancel: () => clearTimeout(timer) };
}
