import type { WaiterRegistry } from "./waiter-registry.js";

/** How one wait behaves. */
export interface WaitOptions<T> {
  readonly handle: string;
  /** Types that can satisfy it; any when undefined. */
  readonly types: ReadonlySet<string> | undefined;
  /** Give up (answer timed out) after this long. */
  readonly timeoutMs: number;
  /** The call's signal: the wait ends at once, with its reason, when it aborts. */
  readonly signal: AbortSignal;
  /** Looks for messages; the wait ends with the first non-empty answer. */
  readonly query: () => Promise<readonly T[]>;
  /**
   * Called with an answer that arrived after the caller went away (abort or
   * shutdown), e.g. to undo a claim no one will receive.
   */
  readonly abandon?: (found: readonly T[]) => Promise<void>;
}

/** What a wait ended with: messages, or none because the time ran out. */
export interface WaitResult<T> {
  readonly messages: readonly T[];
  readonly timedOut: boolean;
}

/**
 * Blocks until `query` finds something, woken through `registry` (never by
 * polling). The waiter is registered BEFORE the first query, so a message
 * committed between that query and the registration still wakes it. At
 * most one query runs at a time per wait; wake-ups during a query make it
 * run once more. When the time runs out during a query, that query's answer
 * still counts.
 */
export function waitForMessages<T>(registry: WaiterRegistry, options: WaitOptions<T>): Promise<WaitResult<T>> {
  const { signal, query } = options;
  return new Promise<WaitResult<T>>((resolve, reject) => {
    let settled = false;
    let running = false;
    let dirty = true;
    let expired = false;
    let timer: NodeJS.Timeout | undefined;
    let remove = () => {};

    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      remove();
      signal.removeEventListener("abort", onAbort);
      outcome();
    };
    const giveUp = (reason: unknown) => finish(() => reject(reason));
    const onAbort = () => giveUp(signal.reason);

    const run = async () => {
      if (running || settled) return;
      running = true;
      try {
        while (dirty) {
          dirty = false;
          const found = await query();
          if (settled) {
            if (found.length > 0) await options.abandon?.(found);
            return;
          }
          if (found.length > 0) return finish(() => resolve({ messages: found, timedOut: false }));
        }
        if (expired) finish(() => resolve({ messages: [], timedOut: true }));
      } catch (err) {
        giveUp(err);
      } finally {
        running = false;
      }
    };

    /** run() settles the wait itself on failure; a throw from that path still ends the wait, never the process. */
    const kick = (): void => {
      run().catch(giveUp);
    };

    if (signal.aborted) return reject(signal.reason);
    try {
      remove = registry.add({
        handle: options.handle,
        types: options.types,
        wake: () => {
          dirty = true;
          kick();
        },
        close: giveUp,
      });
    } catch (err) {
      return reject(err);
    }
    signal.addEventListener("abort", onAbort, { once: true });
    timer = setTimeout(() => {
      expired = true;
      if (!running) finish(() => resolve({ messages: [], timedOut: true }));
    }, options.timeoutMs);
    kick();
  });
}
