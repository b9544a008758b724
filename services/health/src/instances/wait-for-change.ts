import type { InstanceEvent, InstanceEvents } from "./instance-events.js";

/**
 * Calls `attempt` now and again after every committed instance change that
 * is `relevant` (or a listener resync), until it answers a value or `signal`
 * aborts (then undefined). Woken by LISTEN/NOTIFY through InstanceEvents,
 * never by polling. Subscribes before the first attempt, so a change
 * committed in between is not missed.
 */
export async function waitForChange<T>(
  events: InstanceEvents,
  relevant: (event: InstanceEvent) => boolean,
  attempt: () => Promise<T | undefined>,
  signal: AbortSignal,
): Promise<T | undefined> {
  let dirty = true;
  let wake: (() => void) | undefined;
  const poke = () => {
    dirty = true;
    wake?.();
  };
  const unsubscribe = events.subscribe((event) => {
    if (relevant(event)) poke();
  });
  const stopResync = events.onResync(poke);
  const onAbort = () => wake?.();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    while (!signal.aborted) {
      if (dirty) {
        dirty = false;
        const value = await attempt();
        if (value !== undefined) return value;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (dirty || signal.aborted) resolve();
      });
      wake = undefined;
    }
    return undefined;
  } finally {
    unsubscribe();
    stopResync();
    signal.removeEventListener("abort", onAbort);
  }
}
