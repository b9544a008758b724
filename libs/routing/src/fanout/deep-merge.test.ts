import { describe, expect, it } from "vitest";
import { deepMerge } from "./deep-merge.js";

describe("deepMerge", () => {
  it("merges objects key by key, recursively; concatenates arrays; replaces the rest", () => {
    expect(deepMerge({ a: 1, o: { x: 1, l: [1] }, s: "a" }, { b: 2, o: { y: 2, l: [2] }, s: "b" })).toEqual({ a: 1, b: 2, o: { x: 1, y: 2, l: [1, 2] }, s: "b" });
    expect(deepMerge([1], [2, 3])).toEqual([1, 2, 3]);
    expect(deepMerge({ a: 1 }, [1])).toEqual([1]);
    expect(deepMerge(1, null)).toBeNull();
  });

  it("does not mutate its inputs", () => {
    const base = { o: { x: 1 } };
    deepMerge(base, { o: { y: 2 } });
    expect(base).toEqual({ o: { x: 1 } });
  });

  it("keeps __proto__ keys as data", () => {
    const merged = deepMerge({}, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toEqual(["__proto__"]);
  });
});
