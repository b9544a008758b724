import { describe, expect, it } from "vitest";
import { quoteChannel } from "./channel-name.js";

describe("quoteChannel", () => {
  it("quotes valid names and refuses the rest", () => {
    expect(quoteChannel("orchestrator_instances")).toBe('"orchestrator_instances"');
    expect(quoteChannel("Mixed.Case-1")).toBe('"Mixed.Case-1"');
    expect(quoteChannel("x".repeat(63))).toHaveLength(65);
    expect(() => quoteChannel("")).toThrow(RangeError);
    expect(() => quoteChannel("x".repeat(64))).toThrow(RangeError);
    expect(() => quoteChannel("é".repeat(32))).toThrow(RangeError); // 64 bytes
    expect(() => quoteChannel('a"b')).toThrow(RangeError);
  });
});
