/** Hooks for observeStream. */
export interface StreamObserver {
  /** Runs each step of the source (e.g. inside an OpenTelemetry context). */
  run?<R>(step: () => R): R;
  /** Replaces an error the source throws before it is rethrown. */
  mapError?(error: unknown): unknown;
  /** Called once when the stream ends, fails (with the mapped error) or is closed early. */
  onEnd?(error: unknown): void;
}

/**
 * Wraps an async iterable to observe its lifetime without buffering: the
 * interceptors use it to end spans and map errors of streaming calls, where
 * the work happens while the response is iterated, after `next()` returned.
 */
export function observeStream<T>(source: AsyncIterable<T>, observer: StreamObserver): AsyncIterable<T> {
  const run = observer.run?.bind(observer) ?? (<R>(step: () => R) => step());
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const it = source[Symbol.asyncIterator]();
      let ended = false;
      const end = (error: unknown) => {
        if (!ended) {
          ended = true;
          observer.onEnd?.(error);
        }
      };
      return {
        async next() {
          try {
            const result = await run(() => it.next());
            if (result.done === true) {
              end(undefined);
            }
            return result;
          } catch (error) {
            const mapped = observer.mapError ? observer.mapError(error) : error;
            end(mapped);
            throw mapped;
          }
        },
        async return(value?: unknown) {
          try {
            return it.return ? await run(() => it.return!(value)) : { done: true, value: undefined };
          } finally {
            end(undefined);
          }
        },
      };
    },
  };
}
