/**
 * Loads shared by concurrent readers of one key, such as the WatchRun
 * streams of one run on this replica. A reader woken at `since` joins a
 * load of its key that started at or after `since`: that load reads every
 * change the reader was woken for. Otherwise it starts one. A busy run
 * watched by N streams costs one reload at a time, not N.
 */
export class SharedLoads<T> {
  readonly #loading = new Map<string, { readonly startedAt: number; readonly value: Promise<T> }>();

  constructor(private readonly load: (key: string) => Promise<T>) {}

  /** The value of `key` as loaded at or after `since` (a `performance.now()` time). */
  get(key: string, since: number): Promise<T> {
    const current = this.#loading.get(key);
    if (current && current.startedAt >= since) return current.value;
    const entry = { startedAt: performance.now(), value: this.load(key) };
    this.#loading.set(key, entry);
    const forget = () => {
      if (this.#loading.get(key) === entry) this.#loading.delete(key);
    };
    entry.value.then(forget, forget);
    return entry.value;
  }
}
