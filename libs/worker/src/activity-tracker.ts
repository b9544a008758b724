/** What an ActivityTracker reports: busy while work is in flight, idle otherwise. */
export type WorkActivity = "idle" | "busy";

/** Counts calls in flight and reports the edges between idle and busy. */
export interface ActivityTracker {
  /** The activity now. */
  readonly current: WorkActivity;
  /** Marks one call started; the returned function marks it done (calling it twice is harmless). */
  begin(): () => void;
}

/**
 * Creates an ActivityTracker that calls `onChange("busy")` when the first call
 * starts and `onChange("idle")` when the last one ends, never twice in a row
 * with the same value.
 */
export function createActivityTracker(onChange: (activity: WorkActivity) => void): ActivityTracker {
  let inFlight = 0;
  return {
    get current(): WorkActivity {
      return inFlight > 0 ? "busy" : "idle";
    },
    begin() {
      if (inFlight++ === 0) onChange("busy");
      let done = false;
      return () => {
        if (done) return;
        done = true;
        if (--inFlight === 0) onChange("idle");
      };
    },
  };
}
