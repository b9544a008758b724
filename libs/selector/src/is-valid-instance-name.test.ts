import { describe, expect, it } from "vitest";
import { isValidInstanceName } from "./is-valid-instance-name.js";

describe("isValidInstanceName", () => {
  it.each(["A", "kite-3", "a.b_c-d", "9", "x".repeat(63), "A-H"])("accepts %j", (name) => {
    expect(isValidInstanceName(name)).toBe(true);
  });

  it.each(["", "-a", "a-", "_a", "a_", "a..b", "x".repeat(64), "a b", "a/b", "a*", "@all", "é"])("rejects %j", (name) => {
    expect(isValidInstanceName(name)).toBe(false);
  });
});
