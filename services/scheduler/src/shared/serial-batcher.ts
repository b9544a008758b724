/**
 * Collects items and hands them to `flush` in batches, one flush at a time:
 * whatever arrives while a flush runs goes into the next one, so batches
 * grow with load (group commit) and stay single when idle. A failed flush is
 * reported to `onError` and its items are retried with the next batch.
 */
export class SerialBatcher<T> {
  private pending: T[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly onError: (error: unknown, items: readonly T[]) => void,
    private readonly maxBatch = 500,
  ) {}

  /** Queues an item; it is flushed soon. */
  push(item: T): void {
    this.pending.push(item);
    this.running ??= this.drain();
  }

  /** Resolves once everything queued so far is flushed (or failed). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    let failures = 0;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        await this.flush(batch);
        failures = 0;
      } catch (error) {
        this.onError(error, batch);
        if (++failures >= 5) break; // give up on these; the sweeps recover their contexts
        this.pending.unshift(...batch);
        await new Promise((r) => setTimeout(r, 100 * failures));
      }
    }
    this.running = undefined;
  }
}
