import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Value } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import type { ExecuteRequestSchema, WorkRequest, WorkResponse } from "@orchestrator/contracts";
import type { Logger } from "pino";
import type { AbortListener, CallAbort } from "./call-abort.js";
import { assignmentMessage, cancelMessage } from "./work-messages.js";

/** One assignment to push: what Execute would carry, its deadline and trace. */
export interface Assignment {
  /** The dispatch id; the worker answers with it. */
  readonly id: string;
  readonly request: MessageInitShape<typeof ExecuteRequestSchema>;
  readonly timeoutMs: number;
  readonly traceparent: string | null;
  /** Its WorkResponse, built (and encoded: preEncode) ahead; made from the fields above when absent. */
  readonly message?: WorkResponse;
}

/**
 * One pushed assignment until it is answered or withdrawn. It is its own
 * abort listener (handleAbort) and its deadline timer's argument: no
 * closures per push.
 */
class Pending implements AbortListener {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly target: WorkStream,
    readonly assignment: Assignment,
    readonly abort: CallAbort,
    readonly resolve: (result: Value | undefined) => void,
    readonly reject: (error: ConnectError) => void,
    readonly withdraw: (pending: Pending, error: ConnectError) => void,
  ) {}

  /** Watches the caller's abort and the deadline. */
  arm(): void {
    this.#timer = setTimeout(deadlinePassed, Math.max(1, this.assignment.timeoutMs), this);
    this.abort.listen(this);
  }

  /** The caller aborted. */
  handleAbort(reason: unknown): void {
    this.withdraw(this, ConnectError.from(reason, Code.Canceled));
  }

  /** Detaches the caller's abort and the deadline timer. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.abort.unlisten(this);
  }
}

function deadlinePassed(pending: Pending): void {
  pending.withdraw(pending, new ConnectError(`no answer from "${pending.target.instance}" within ${pending.assignment.timeoutMs} ms`, Code.DeadlineExceeded));
}

/** One worker's Work stream on this replica: what is queued, what is in flight, and the credit left. */
class WorkStream {
  /** Assignments pushed and not answered, by id. */
  readonly inflight = new Map<string, Pending>();
  /** Assignments waiting for a free slot, oldest first. */
  readonly waiting: Pending[] = [];
  /** Messages to write, oldest first. */
  private readonly outbox: WorkResponse[] = [];
  private wake: (() => void) | undefined;
  closed = false;

  constructor(
    readonly instance: string,
    readonly slots: number,
  ) {}

  /** Free slots minus what already waits for one. */
  get credit(): number {
    return this.slots - this.inflight.size - this.waiting.length;
  }

  write(message: WorkResponse): void {
    this.outbox.push(message);
    this.notify();
  }

  notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** The next message to send, if one is queued. */
  take(): WorkResponse | undefined {
    return this.outbox.shift();
  }

  /** Resolves when a message is queued or the stream closes. */
  wait(): Promise<void> {
    return new Promise<void>((resolve) => (this.wake = resolve));
  }
}

/** Error of an assignment whose stream broke before it was answered: retryable, as a lost connection is for Execute. */
const streamBroken = (instance: string, why: string) => new ConnectError(`work stream of "${instance}" closed before the answer: ${why}`, Code.Unavailable);

/**
 * The Work streams workers hold open to this replica (WorkerService/Work,
 * worker-held, scheduler-pushed), by instance. `push` sends an assignment
 * down a stream of the instance with free credit (or queues it on the one
 * with most credit until a slot frees: the worker's `slots` bound what is
 * in flight on it) and resolves with the worker's answer on the same
 * stream. An assignment is withdrawn (WorkCancel) when the caller aborts it
 * or its deadline passes; when a stream breaks, every assignment on
 * it fails UNAVAILABLE, so the dispatcher records a failed dispatch and the
 * task is dispatched again (at least once).
 */
export class WorkerStreams {
  private readonly byInstance = new Map<string, Set<WorkStream>>();

  constructor(private readonly logger: Logger) {}

  /** Whether `instance` holds a Work stream to this replica. */
  has(instance: string): boolean {
    return (this.byInstance.get(instance)?.size ?? 0) > 0;
  }

  /** Free slots of `instance`'s best stream here, less what waits for one (0 without a stream). */
  credit(instance: string): number {
    let best = 0;
    for (const s of this.byInstance.get(instance) ?? []) best = Math.max(best, s.credit);
    return best;
  }

  /** Instances holding a stream here (diagnostics, tests). */
  instances(): string[] {
    return [...this.byInstance.keys()];
  }

  /**
   * Pushes `assignment` to `instance` (which must hold a stream: see has())
   * and resolves with its result; rejects with the worker's code, with
   * DEADLINE_EXCEEDED after `timeoutMs`, CANCELED when `abort` aborts, or
   * UNAVAILABLE when the stream breaks first.
   */
  push(instance: string, assignment: Assignment, abort: CallAbort): Promise<Value | undefined> {
    const streams = this.byInstance.get(instance);
    if (!streams || streams.size === 0) return Promise.reject(new ConnectError(`"${instance}" holds no work stream to this replica`, Code.Unavailable));
    let stream: WorkStream | undefined;
    for (const s of streams) if (!stream || s.credit > stream.credit) stream = s;
    const target = stream!;
    if (abort.aborted) return Promise.reject(ConnectError.from(abort.reason, Code.Canceled));
    return new Promise<Value | undefined>((resolve, reject) => {
      const pending = new Pending(target, assignment, abort, resolve, reject, this.#withdraw);
      pending.arm();
      target.waiting.push(pending);
      this.fill(target);
    });
  }

  /** Takes `pending` back (its caller aborted or its deadline passed): out of the queue, or cancelled on the worker. */
  readonly #withdraw = (pending: Pending, error: ConnectError): void => {
    const target = pending.target;
    const waitingAt = target.waiting.indexOf(pending);
    if (waitingAt >= 0) target.waiting.splice(waitingAt, 1);
    else if (target.inflight.delete(pending.assignment.id)) {
      target.write(cancelMessage(pending.assignment.id));
      this.fill(target);
    }
    pending.dispose();
    pending.reject(error);
  };

  /**
   * Serves one Work stream: the first message must be a hello (instance and
   * slots); then answers come in and assignments go out until either side
   * ends it. The instance's assignments in flight on it fail when it ends.
   */
  async *serve(requests: AsyncIterable<WorkRequest>, signal: AbortSignal): AsyncGenerator<WorkResponse> {
    const iterator = requests[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done) return;
    const hello = first.value.kind.case === "hello" ? first.value.kind.value : undefined;
    if (!hello) throw new ConnectError("kind: the first message of a Work stream must be a hello (instance, slots)", Code.InvalidArgument);
    if (!hello.instance) throw new ConnectError("hello.instance: required: the registered name of this worker", Code.InvalidArgument);
    if (hello.slots < 1) throw new ConnectError("hello.slots: must be at least 1: how many assignments the worker runs at once", Code.InvalidArgument);
    const stream = new WorkStream(hello.instance, hello.slots);
    this.add(stream);
    const log = this.logger.child({ instance: stream.instance });
    log.debug({ slots: stream.slots }, "work stream opened");
    let why = "the worker ended it";
    const close = () => {
      if (stream.closed) return;
      stream.closed = true;
      this.remove(stream);
      const broken = streamBroken(stream.instance, why);
      for (const p of [...stream.inflight.values(), ...stream.waiting.splice(0)]) {
        p.dispose();
        p.reject(broken);
      }
      stream.inflight.clear();
      stream.notify();
    };
    const onAbort = () => {
      why = "the call ended";
      close();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    const reading = (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        if (next.value.kind.case === "result") this.answer(stream, next.value.kind.value);
        else if (next.value.kind.case === "hello") throw new ConnectError("kind: hello only once, as the first message", Code.InvalidArgument);
      }
    })().then(
      () => close(),
      (err: unknown) => {
        why = err instanceof Error ? err.message : String(err);
        close();
      },
    );
    try {
      // Yielded here, not through a generator of the stream's own: one async generator per message, not two.
      for (;;) {
        const next = stream.take();
        if (next) yield next;
        else if (stream.closed) break;
        else await stream.wait();
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      close();
      await reading;
      log.debug({ why }, "work stream closed");
    }
  }

  /** Ends every stream (shutdown): their workers reconnect to another replica. */
  closeAll(): void {
    for (const streams of this.byInstance.values()) {
      for (const stream of streams) {
        stream.closed = true;
        stream.notify();
      }
    }
  }

  private answer(stream: WorkStream, result: NonNullable<Extract<WorkRequest["kind"], { case: "result" }>["value"]>): void {
    const pending = stream.inflight.get(result.id);
    if (!pending) return; // withdrawn (cancelled, timed out) or unknown: nobody waits for it
    stream.inflight.delete(result.id);
    pending.dispose();
    if (result.outcome.case === "error") {
      const code = result.outcome.value.code in Code ? (result.outcome.value.code as Code) : Code.Unknown;
      pending.reject(new ConnectError(result.outcome.value.message, code));
    } else {
      pending.resolve(result.outcome.value);
    }
    this.fill(stream);
  }

  /** Sends waiting assignments while the stream has free slots. */
  private fill(stream: WorkStream): void {
    while (!stream.closed && stream.waiting.length > 0 && stream.inflight.size < stream.slots) {
      const pending = stream.waiting.shift()!;
      stream.inflight.set(pending.assignment.id, pending);
      stream.write(pending.assignment.message ?? assignmentMessage(pending.assignment));
    }
  }

  private add(stream: WorkStream): void {
    let streams = this.byInstance.get(stream.instance);
    if (!streams) this.byInstance.set(stream.instance, (streams = new Set()));
    streams.add(stream);
  }

  private remove(stream: WorkStream): void {
    const streams = this.byInstance.get(stream.instance);
    if (!streams) return;
    streams.delete(stream);
    if (streams.size === 0) this.byInstance.delete(stream.instance);
  }
}
