/**
 * Test helper: collects NOTIFY payloads and lets a test await the n-th one
 * (the test's timeout is the failure mode; nothing here measures time).
 */
export class PayloadInbox {
  readonly payloads: string[] = [];
  readonly #waiters: { count: number; resolve: () => void }[] = [];

  /** Pass as the `listen` callback. */
  readonly push = (payload: string): void => {
    this.payloads.push(payload);
    for (const waiter of this.#waiters.filter((w) => this.payloads.length >= w.count)) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };

  /** Resolves with every payload once at least `count` have arrived. */
  async waitFor(count: number): Promise<string[]> {
    if (this.payloads.length < count) await new Promise<void>((resolve) => this.#waiters.push({ count, resolve }));
    return [...this.payloads];
  }
}
