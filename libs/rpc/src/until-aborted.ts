/**
 * Iterates `source` until it ends or `signal` aborts, whichever comes first.
 * Bidi and client-streaming handlers wait on the client's next message; this
 * lets them return on shutdown (or cancellation) instead of waiting forever.
 * On abort the source's `return()` is requested without waiting for it.
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  if (signal.aborted) {
    return;
  }
  const it = source[Symbol.asyncIterator]();
  let onAbort = () => {};
  const aborted = new Promise<"aborted">((resolve) => {
    onAbort = () => resolve("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
  });
  let finished = false;
  try {
    for (;;) {
      const next = await Promise.race([it.next(), aborted]);
      if (next === "aborted" || next.done === true) {
        finished = next !== "aborted";
        return;
      }
      yield next.value;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    if (!finished) {
      it.return?.()?.catch(() => {});
    }
  }
}
