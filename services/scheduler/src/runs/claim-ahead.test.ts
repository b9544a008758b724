import { describe, expect, it } from "vitest";
import { claimAhead } from "./claim-ahead.js";

describe("claimAhead", () => {
  it("claims nothing ahead before a call answered, or while calls are slow", () => {
    expect(claimAhead(8, undefined)).toBe(0);
    expect(claimAhead(8, 100)).toBe(0);
    expect(claimAhead(8, 5000)).toBe(0);
  });

  it("claims what the slots take in the horizon, at least 3 and at most 16 times the max concurrency", () => {
    expect(claimAhead(8, 99)).toBe(3 * 8);
    expect(claimAhead(8, 10)).toBe(4 * 8);
    expect(claimAhead(8, 5)).toBe(8 * 8);
    expect(claimAhead(8, 1)).toBe(16 * 8);
    expect(claimAhead(8, 0)).toBe(16 * 8);
  });

  it("never holds more than 512, whatever the max concurrency", () => {
    expect(claimAhead(100, 1)).toBe(512);
    expect(claimAhead(1000, 50)).toBe(512);
  });
});
