import { Code, ConnectError } from "@connectrpc/connect";

/**
 * Runs tasks one at a time per key, in arrival order (FIFO), and
 * concurrently across keys. Within a process this orders the sends of one
 * session before they contend for its lease in the database, so a replica
 * holds at most one database round trip per session at a time. A task whose
 * signal aborts while it waits leaves its place without breaking the order
 * of the others.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    try {
      await untilDone(previous, signal);
      return await task();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with tasks queued or running (for tests). */
  get size(): number {
    return this.tails.size;
  }
}

/** Waits for `promise`, or rejects when `signal` aborts first. */
function untilDone(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new ConnectError("cancelled", Code.Canceled);
}
