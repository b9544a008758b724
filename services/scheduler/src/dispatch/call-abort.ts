/** Told once when a CallAbort aborts (see CallAbort.listen). */
export interface AbortListener {
  handleAbort(reason: unknown): void;
}

/**
 * The cancellation of one dispatch call (StopRun, a context closed
 * elsewhere, shutdown). Cheap until something needs a real AbortSignal: a
 * pushed assignment listens through listen(), with no EventTarget, and the
 * AbortController is made only when `signal` is read (a unary Execute, a
 * mailbox send). An AbortController's signal with one listener added and
 * removed cost about 6 µs per dispatch on the path from a step's commit to
 * its pushes (bench/scheduler).
 */
export class CallAbort {
  #aborted = false;
  #reason: unknown;
  #controller: AbortController | undefined;
  #listener: AbortListener | undefined;

  get aborted(): boolean {
    return this.#aborted;
  }

  /** Why it aborted; undefined while it has not. */
  get reason(): unknown {
    return this.#reason;
  }

  /** A real AbortSignal that aborts with this (made on first read, aborted already if this is). */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Aborts with `reason` (the first reason wins): the signal, if made, then the listener, once. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.handleAbort(reason);
  }

  /** Sets the one listener (replacing any); it is not called if this aborted already: check `aborted` first. */
  listen(listener: AbortListener): void {
    this.#listener = listener;
  }

  /** Removes `listener` if it is the one set. */
  unlisten(listener: AbortListener): void {
    if (this.#listener === listener) this.#listener = undefined;
  }
}
