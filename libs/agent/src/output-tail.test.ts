import { describe, expect, it } from "vitest";
import { outputTail } from "./output-tail.js";

describe("outputTail", () => {
  it("keeps the last lines, ignoring trailing blank ones", () => {
    expect(outputTail(["a", "b", "c", "", ""], { maxLines: 2 })).toBe("b\nc");
  });

  it("cuts to the byte limit at a line boundary, never inside a character", () => {
    const tail = outputTail(["é".repeat(100), "short", "ünïcødé".repeat(3)], { maxBytes: 60 });
    expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(60);
    expect(tail).not.toContain("\uFFFD");
    expect(tail.endsWith("ünïcødé")).toBe(true);
  });
});
