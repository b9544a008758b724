/** One step's entry in the ledger: taken when the step starts, closed when it ends. */
export interface StepTicket {
  /** No other step was in flight when this one started. */
  readonly solo: boolean;
  /** Steps started before this one, this one included (a later start means overlap). */
  readonly seq: number;
  /** The ready epoch when the step started (what its snapshot can be trusted to have seen). */
  readonly epoch: number;
  /** This step's changes to the in-flight count, undone when its transaction rolls back. */
  delta: number;
}

/**
 * What a run's lease holder keeps in memory so that two of the run's steps
 * can be in flight at once (a step's claim runs while the previous step
 * commits): the run's dispatches in flight, and whether claiming may find
 * ready tasks.
 *
 * A step's snapshot does not see another step's uncommitted settlements
 * and claims, so the in-flight count (for the max-concurrency budget) is
 * not read from the database then: it is taken from the database by a
 * step no other step overlapped (exact: every earlier step committed) and
 * kept up to date by the driver's own settlements and claims in between.
 * Closes by others (a sweep, StopRun) only make it too high until the next
 * such step: a run never exceeds its concurrency through it.
 *
 * Readiness is an epoch: anything that may make tasks ready bumps it (a
 * notification, a step that promoted tasks it did not claim, once
 * committed), and a claim that came back short marks the epoch its step
 * started in as exhausted; tasks may be ready while a later epoch exists.
 */
export class StepLedger {
  private inflight: number | undefined;
  private running = 0;
  private started = 0;
  private readyEpoch = 1;
  private exhausted = 0;

  /** Steps in flight. */
  get steps(): number {
    return this.running;
  }

  /** Whether the in-flight count is known (else a step must run alone to read it). */
  get synced(): boolean {
    return this.inflight !== undefined;
  }

  /** Whether claiming may find ready tasks. */
  get mayBeReady(): boolean {
    return this.readyEpoch > this.exhausted;
  }

  /** Starts a step. */
  begin(): StepTicket {
    this.running++;
    return { solo: this.running === 1, seq: ++this.started, epoch: this.readyEpoch, delta: 0 };
  }

  /** Whether no other step ran alongside `ticket`'s so far (its snapshot saw every earlier step's writes, and no later one exists). */
  alone(ticket: StepTicket): boolean {
    return ticket.solo && this.started === ticket.seq;
  }

  /** The database's in-flight count, as read by `ticket`'s step before it changed anything: taken when exact. */
  counted(ticket: StepTicket, dispatched: number): void {
    if (this.alone(ticket)) this.inflight = dispatched;
  }

  /** The step closed `n` dispatches (settled them). */
  closed(ticket: StepTicket, n: number): void {
    this.shift(ticket, -n);
  }

  /** Free slots under `max` (0 while the count is unknown). */
  budget(max: number): number {
    return this.inflight === undefined ? 0 : max - this.inflight;
  }

  /** The step claimed `n` dispatches. */
  claimed(ticket: StepTicket, n: number): void {
    this.shift(ticket, n);
  }

  /** The step's claim came back short (or found no instance): nothing more is ready as of its start. */
  drained(ticket: StepTicket): void {
    this.exhausted = Math.max(this.exhausted, ticket.epoch);
  }

  /** Tasks may have become ready (visible to steps starting from now). */
  bump(): void {
    this.readyEpoch++;
  }

  /** The step's transaction rolled back (or is retried): its count changes are undone. */
  rolledBack(ticket: StepTicket): void {
    this.shift(ticket, -ticket.delta);
  }

  /** Ends a step; answers whether another step ran alongside it (its view of the run may have missed their writes). */
  end(ticket: StepTicket): boolean {
    const overlapped = !this.alone(ticket);
    this.running--;
    return overlapped;
  }

  /** Forgets the in-flight count (after a failed step: the next one alone reads it again). */
  reset(): void {
    this.inflight = undefined;
  }

  private shift(ticket: StepTicket, n: number): void {
    ticket.delta += n;
    if (this.inflight !== undefined) this.inflight += n;
  }
}
