/**
 * One timer for "the earliest of many deadlines": `schedule(at)` keeps the
 * earliest time asked for; when it passes, `fire` runs (never twice at
 * once) and returns the next deadline to wait for, if any. Deadlines are
 * clamped to `maxDelayMs` from now so a deadline announced by a replica that
 * then died is still honoured by a later check.
 */
export class DeadlineTimer {
  private timer: NodeJS.Timeout | undefined;
  private armedFor: number | undefined;
  private firing: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly fire: () => Promise<Date | undefined>,
    private readonly onError: (err: unknown) => void,
    private readonly maxDelayMs: number,
  ) {}

  /** Fires at `at` (or now, if past) unless an earlier firing is armed. */
  schedule(at: Date | undefined): void {
    if (this.stopped) return;
    const when = Math.min(at ? at.getTime() : Infinity, Date.now() + this.maxDelayMs);
    if (this.armedFor !== undefined && this.armedFor <= when) return;
    clearTimeout(this.timer);
    this.armedFor = when;
    this.timer = setTimeout(() => {
      this.run().catch(this.onError);
    }, Math.max(0, when - Date.now()) + 5);
    this.timer.unref?.();
  }

  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    return this.firing ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    this.armedFor = undefined;
    if (this.firing) return;
    let next: Date | undefined;
    this.firing = this.fire().then(
      (n) => void (next = n),
      (err) => this.onError(err),
    );
    await this.firing;
    this.firing = undefined;
    // Never spin: a deadline that the database does not see as past yet is retried a little later.
    this.schedule(next && next.getTime() <= Date.now() ? new Date(Date.now() + 50) : next);
  }
}
