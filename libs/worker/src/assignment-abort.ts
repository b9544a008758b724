import type { JsonValue } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { WorkContext } from "./worker-options.js";

/**
 * Descriptor of the lazy `signal` of AssignmentContext: own and enumerable
 * (a handler that spreads its context, `{ ...ctx }`, still gets the signal),
 * one getter for every context (a getter written in an object literal is a
 * closure per object, and gives each its own hidden class).
 */
let CONTEXT_SIGNAL: PropertyDescriptor;

/**
 * When one pushed assignment must stop: a WorkCancel, the worker shutting
 * down or the stream breaking (abort()), or its timeout. Cheap until a
 * handler reads `signal`: a trivial handler that never looks at it costs no
 * AbortController and no timer (an AbortSignal and a setTimeout per
 * assignment were about a tenth of a no-op worker's CPU, bench/scheduler).
 * Once made, the signal aborts as the eager one did: at once with the
 * reason given to abort(), or with DEADLINE_EXCEEDED when the timeout
 * passes. `reason` says why it must stop even if nobody made the signal,
 * so an error thrown late answers the same code either way.
 */
export class AssignmentAbort {
  /** When the timeout passes, in `performance.now()` ms; Infinity without one. */
  readonly #at: number;
  #reason: unknown;
  #controller: AbortController | undefined;
  #timer: NodeJS.Timeout | undefined;

  /** `timeoutMs` ≤ 0: no timeout. */
  constructor(readonly timeoutMs: number) {
    this.#at = timeoutMs > 0 ? performance.now() + timeoutMs : Infinity;
  }

  /** Aborts on abort() or when the timeout passes; made, with its timer, on first read. */
  get signal(): AbortSignal {
    if (this.#controller) return this.#controller.signal;
    const controller = (this.#controller = new AbortController());
    const reason = this.reason;
    if (reason !== undefined) controller.abort(reason);
    else if (this.#at !== Infinity) this.#timer = setTimeout(() => this.abort(this.#timedOut()), Math.max(1, this.#at - performance.now()));
    return controller.signal;
  }

  /** Why the assignment must stop; undefined while it may go on. The first reason wins (a timeout that passed counts first). */
  get reason(): unknown {
    if (this.#reason === undefined && performance.now() >= this.#at) this.#reason = this.#timedOut();
    return this.#reason;
  }

  /** Stops the assignment with `reason` unless it was stopped already (or its timeout passed). */
  abort(reason: unknown): void {
    if (this.reason !== undefined) {
      if (this.#controller && !this.#controller.signal.aborted) this.#controller.abort(this.#reason);
      return;
    }
    this.#reason = reason;
    this.#controller?.abort(reason);
    this.dispose();
  }

  /** Clears the timer, if the signal was made; call when the assignment ended. */
  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #timedOut(): ConnectError {
    return new ConnectError(`the assignment's timeout (${this.timeoutMs} ms) passed`, Code.DeadlineExceeded);
  }
}

/** The WorkContext a pushed assignment's handler gets: its signal is made only if the handler reads it. */
export class AssignmentContext implements WorkContext {
  declare readonly signal: AbortSignal;
  readonly #abort: AssignmentAbort;
  constructor(
    abort: AssignmentAbort,
    readonly instance: string,
    readonly payload: JsonValue,
  ) {
    this.#abort = abort;
    Object.defineProperty(this, "signal", CONTEXT_SIGNAL);
  }
  static {
    CONTEXT_SIGNAL = {
      get(this: AssignmentContext) {
        return this.#abort.signal;
      },
      enumerable: true,
      configurable: true,
    };
  }
}
