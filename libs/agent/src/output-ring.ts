/** Where an output line came from: the command's streams, or the runner's own notes. */
export type OutputStream = "stdout" | "stderr" | "agent";

/** One line of output, as the ring keeps it. */
export interface OutputRecord {
  /** 1, 2, 3, ... since the runner started, gap-free. */
  readonly seq: number;
  readonly stream: OutputStream;
  readonly text: string;
  readonly at: Date;
  /** The task the line belongs to; "" between runs. */
  readonly taskId: string;
}

/** A live reader of the ring: new lines as they are appended. */
export interface OutputFollower extends AsyncIterable<OutputRecord[]> {
  /** Lines this follower lost because it fell more than its backlog behind. */
  readonly dropped: number;
}

interface FollowerState {
  queue: OutputRecord[];
  wake: (() => void) | undefined;
  dropped: number;
}

/**
 * The agent's recent output: a bounded ring of the last `capacity` lines of
 * every run, what `orchestrator agent tail` shows. Followers get new lines
 * pushed as they are appended; each may fall at most `followerBacklog`
 * lines behind, beyond which its oldest pending lines are dropped (the gap
 * in `seq` shows it), so a slow reader never grows memory without bound and
 * never slows the agent down.
 */
export class OutputRing {
  private readonly lines: (OutputRecord | undefined)[];
  private next = 0;
  private seq = 0;
  private readonly followers = new Set<FollowerState>();
  private readonly followerBacklog: number;

  /** @param followerBacklog @default capacity */
  constructor(
    readonly capacity: number,
    options: { followerBacklog?: number } = {},
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.lines = new Array<OutputRecord | undefined>(capacity);
    this.followerBacklog = Math.max(1, options.followerBacklog ?? capacity);
  }

  /** The seq of the last line appended; 0 before the first. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Appends one line (overwriting the oldest when full) and hands it to every follower. */
  append(stream: OutputStream, text: string, taskId = "", at = new Date()): OutputRecord {
    const record: OutputRecord = { seq: ++this.seq, stream, text, at, taskId };
    this.lines[this.next] = record;
    this.next = (this.next + 1) % this.capacity;
    for (const follower of this.followers) {
      follower.queue.push(record);
      if (follower.queue.length > this.followerBacklog) {
        const excess = follower.queue.length - this.followerBacklog;
        follower.queue.splice(0, excess);
        follower.dropped += excess;
      }
      follower.wake?.();
    }
    return record;
  }

  /** The last `count` lines (at most the ring's size), oldest first. */
  tail(count: number): OutputRecord[] {
    const n = Math.max(0, Math.min(count, this.capacity, this.seq));
    const out: OutputRecord[] = [];
    for (let i = n; i > 0; i--) {
      out.push(this.lines[(this.next - i + this.capacity) % this.capacity]!);
    }
    return out;
  }

  /**
   * Starts following now (lines appended from this call on; take `tail()`
   * in the same tick to get a seamless history). Each iteration yields the
   * lines pending since the last one; the iteration ends when `signal`
   * aborts.
   */
  follow(signal: AbortSignal): OutputFollower {
    const state: FollowerState = { queue: [], wake: undefined, dropped: 0 };
    this.followers.add(state);
    const unfollow = () => {
      this.followers.delete(state);
      state.wake?.();
    };
    if (signal.aborted) unfollow();
    else signal.addEventListener("abort", unfollow, { once: true });
    return {
      get dropped() {
        return state.dropped;
      },
      async *[Symbol.asyncIterator]() {
        try {
          while (!signal.aborted) {
            if (state.queue.length === 0) {
              await new Promise<void>((resolve) => (state.wake = resolve));
              state.wake = undefined;
              continue;
            }
            yield state.queue.splice(0);
          }
        } finally {
          signal.removeEventListener("abort", unfollow);
          unfollow();
        }
      },
    };
  }
}
