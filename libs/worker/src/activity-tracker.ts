/** What an ActivityTracker reports: busy while work is in flight, idle otherwise. */
export type WorkActivity = "idle" | "busy";

/** Counts calls in flight and reports the edges between idle and busy. */
export interface ActivityTracker {
  /** The activity last reported (busy during the `idleAfterMs` grace after the last call ended). */
  readonly current: WorkActivity;
  /** Marks one call started; the returned function marks it done (calling it twice is harmless). */
  begin(): () => void;
}

/** Options of createActivityTracker. */
export interface ActivityTrackerOptions {
  /**
   * How long no call may be in flight before "idle" is reported; a call
   * starting within it cancels the report. A worker fed task after task (a
   * Work stream) would otherwise report an edge per task. 0 reports at once.
   * @default 100
   */
  readonly idleAfterMs?: number;
}

/**
 * Creates an ActivityTracker that calls `onChange("busy")` at once when a
 * call starts while it reports idle, and `onChange("idle")` once no call has
 * been in flight for `idleAfterMs`: continuous work, even with gaps shorter
 * than that, is one busy and one idle report. Never reports the same value
 * twice in a row. Execute calls and Work stream assignments both count.
 */
export function createActivityTracker(onChange: (activity: WorkActivity) => void, options: ActivityTrackerOptions = {}): ActivityTracker {
  const idleAfterMs = options.idleAfterMs ?? 100;
  let inFlight = 0;
  let reported: WorkActivity = "idle";
  let idleTimer: NodeJS.Timeout | undefined;
  const report = (activity: WorkActivity) => {
    reported = activity;
    onChange(activity);
  };
  const ended = () => {
    if (idleAfterMs <= 0) {
      report("idle");
      return;
    }
    idleTimer = setTimeout(() => {
      idleTimer = undefined;
      report("idle");
    }, idleAfterMs);
    idleTimer.unref();
  };
  return {
    get current(): WorkActivity {
      return reported;
    },
    begin() {
      inFlight++;
      if (idleTimer) {
        clearTimeout(idleTimer);
        idleTimer = undefined;
      } else if (reported === "idle") {
        report("busy");
      }
      let done = false;
      return () => {
        if (done) return;
        done = true;
        if (--inFlight === 0) ended();
      };
    },
  };
}
