import { describe, expect, it } from "vitest";
import { DEFAULT_WAIT_MS, waitBudget } from "./wait-budget.js";

describe("waitBudget", () => {
  it("defaults to two minutes without a deadline", () => {
    expect(waitBudget(0, undefined)).toBe(DEFAULT_WAIT_MS);
    expect(DEFAULT_WAIT_MS).toBe(120_000);
    expect(waitBudget(5000, undefined)).toBe(5000);
  });

  it("answers before the caller's deadline", () => {
    expect(waitBudget(60_000, 10_000)).toBeLessThan(10_000);
    expect(waitBudget(60_000, 10_000)).toBeGreaterThan(9000);
    expect(waitBudget(1000, 10_000)).toBe(1000);
    expect(waitBudget(1000, 100)).toBe(0);
  });
});
