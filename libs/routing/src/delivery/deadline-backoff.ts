import type { IBackoff, IBackoffFactory } from "cockatiel";
import type { Deadline } from "./deadline.js";

/**
 * Wraps a cockatiel backoff so no delay outlasts the call's deadline: a
 * retry never sleeps past the point where it could still be useful.
 */
export class DeadlineBackoff<C> implements IBackoffFactory<C> {
  constructor(
    private readonly inner: IBackoffFactory<C>,
    private readonly deadline: Deadline,
  ) {}

  next(context: C): IBackoff<C> {
    return this.clamp(this.inner.next(context));
  }

  private clamp(backoff: IBackoff<C>): IBackoff<C> {
    return {
      duration: Math.min(backoff.duration, this.deadline.remaining()),
      next: (context: C) => this.clamp(backoff.next(context)),
    };
  }
}
