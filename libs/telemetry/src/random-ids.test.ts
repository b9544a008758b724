import { describe, expect, it } from "vitest";
import { randomSpanId, randomTraceId } from "./random-ids.js";

describe("randomTraceId / randomSpanId", () => {
  it("are lower-case hex of W3C length, distinct across many pool refills", () => {
    const traces = new Set<string>();
    const spans = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const t = randomTraceId();
      const s = randomSpanId();
      expect(t).toMatch(/^[0-9a-f]{32}$/);
      expect(s).toMatch(/^[0-9a-f]{16}$/);
      traces.add(t);
      spans.add(s);
    }
    expect(traces.size).toBe(2000);
    expect(spans.size).toBe(2000);
  });

  it("use every hex digit in every position (the pool is random bytes, not a fixed pattern)", () => {
    const seen = Array.from({ length: 16 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) {
      [...randomSpanId()].forEach((c, p) => seen[p]!.add(c));
    }
    expect(seen.map((s) => s.size)).toEqual(Array(16).fill(16));
  });
});
