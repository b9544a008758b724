import { describe, expect, it } from "vitest";
import { createActivityTracker, type WorkActivity } from "./activity-tracker.js";

describe("createActivityTracker", () => {
  it("reports busy on the first call and idle after the last", () => {
    const seen: WorkActivity[] = [];
    const tracker = createActivityTracker((a) => seen.push(a));
    expect(tracker.current).toBe("idle");
    const first = tracker.begin();
    const second = tracker.begin();
    expect(tracker.current).toBe("busy");
    first();
    expect(seen).toEqual(["busy"]);
    second();
    expect(tracker.current).toBe("idle");
    expect(seen).toEqual(["busy", "idle"]);
  });

  it("ignores a done function called twice", () => {
    const seen: WorkActivity[] = [];
    const tracker = createActivityTracker((a) => seen.push(a));
    const first = tracker.begin();
    const second = tracker.begin();
    first();
    first();
    expect(tracker.current).toBe("busy");
    second();
    expect(seen).toEqual(["busy", "idle"]);
  });
});
