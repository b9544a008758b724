/**
 * A level-triggered wake-up for one consumer: `notify()` while nobody waits
 * is remembered, so the next `wait()` returns at once; many notifications
 * before a wait count as one. Used by Subscribe streams between queries.
 */
export class WakeSignal {
  private pending = false;
  private closed: Error | undefined;
  private release: (() => void) | undefined;

  notify(): void {
    this.pending = true;
    this.release?.();
  }

  /** Ends every current and future wait with `reason`. */
  close(reason: Error): void {
    this.closed = reason;
    this.release?.();
  }

  /**
   * Resolves true once notified (consuming the notification), false when
   * `signal` aborts; rejects with the close reason once closed.
   */
  async wait(signal: AbortSignal): Promise<boolean> {
    while (!this.pending) {
      if (this.closed) throw this.closed;
      if (signal.aborted) return false;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener("abort", done);
          this.release = undefined;
          resolve();
        };
        this.release = done;
        signal.addEventListener("abort", done, { once: true });
      });
    }
    this.pending = false;
    return true;
  }
}
