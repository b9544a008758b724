import { describe, expect, it } from "vitest";
import { parseAggregateOption } from "./parse-aggregate-option.js";
import { parseDurationOption } from "./parse-duration-option.js";
import { parseRetryOption } from "./parse-retry-option.js";

describe("the openclaw skill's option values", () => {
  it("reads a bare number as seconds, and 10s / 500ms / 2m as written", () => {
    expect(parseDurationOption("10", "--timeout")).toBe(10_000);
    expect(parseDurationOption("0.5", "--timeout")).toBe(500);
    expect(parseDurationOption("10s", "--timeout")).toBe(10_000);
    expect(parseDurationOption("500ms", "--timeout")).toBe(500);
    expect(parseDurationOption("2m", "--timeout")).toBe(120_000);
    expect(() => parseDurationOption("soon", "--timeout")).toThrow('--timeout: "soon" is not a duration');
  });

  it("counts --retry N as N retries after the first attempt", () => {
    expect(parseRetryOption("3")).toBe(4);
    expect(parseRetryOption("0")).toBe(1);
    expect(() => parseRetryOption("-1")).toThrow("--retry: must be a whole number of retries ≥ 0");
    expect(() => parseRetryOption("two")).toThrow("--retry");
  });

  it("takes --aggregate true|false besides the aggregation names", () => {
    expect(parseAggregateOption("true")).toEqual({ aggregate: "all", perInstance: false });
    expect(parseAggregateOption("false")).toEqual({ aggregate: "all", perInstance: true });
    expect(parseAggregateOption("quorum")).toEqual({ aggregate: "quorum", perInstance: false });
    expect(() => parseAggregateOption("maybe")).toThrow('--aggregate: "maybe" is not an aggregation');
  });
});
