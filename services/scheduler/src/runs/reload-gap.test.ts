import { describe, expect, it } from "vitest";
import { reloadGap, WATCH_MIN_INTERVAL_MS } from "./reload-gap.js";

describe("reloadGap", () => {
  it("is the minimum interval for quick reloads", () => {
    expect(reloadGap(0)).toBe(WATCH_MIN_INTERVAL_MS);
    expect(reloadGap(5)).toBe(WATCH_MIN_INTERVAL_MS);
  });

  it("keeps a slow reload to a twentieth of the stream's time", () => {
    expect(reloadGap(24)).toBe(480);
    expect(reloadGap(250)).toBe(5000);
  });
});
