import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createActivityTracker, type WorkActivity } from "./activity-tracker.js";

describe("createActivityTracker", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("reports busy at once and idle only after idleAfterMs without a call", () => {
    const seen: WorkActivity[] = [];
    const tracker = createActivityTracker((a) => seen.push(a));
    expect(tracker.current).toBe("idle");
    const first = tracker.begin();
    const second = tracker.begin();
    expect(seen).toEqual(["busy"]);
    expect(tracker.current).toBe("busy");
    first();
    second();
    vi.advanceTimersByTime(99);
    expect(seen).toEqual(["busy"]);
    expect(tracker.current).toBe("busy");
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(["busy", "idle"]);
    expect(tracker.current).toBe("idle");
  });

  it("reports continuous work with short gaps as one busy and one idle", () => {
    const seen: WorkActivity[] = [];
    const tracker = createActivityTracker((a) => seen.push(a), { idleAfterMs: 50 });
    for (let i = 0; i < 10; i++) {
      const done = tracker.begin();
      vi.advanceTimersByTime(10);
      done();
      vi.advanceTimersByTime(49);
    }
    expect(seen).toEqual(["busy"]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(["busy", "idle"]);
    tracker.begin();
    expect(seen).toEqual(["busy", "idle", "busy"]);
  });

  it("reports idle at once with idleAfterMs 0", () => {
    const seen: WorkActivity[] = [];
    const tracker = createActivityTracker((a) => seen.push(a), { idleAfterMs: 0 });
    tracker.begin()();
    expect(seen).toEqual(["busy", "idle"]);
  });

  it("ignores a done function called twice", () => {
    const seen: WorkActivity[] = [];
    const tracker = createActivityTracker((a) => seen.push(a));
    const first = tracker.begin();
    const second = tracker.begin();
    first();
    first();
    vi.runAllTimers();
    expect(seen).toEqual(["busy"]);
    second();
    vi.runAllTimers();
    expect(seen).toEqual(["busy", "idle"]);
  });
});
