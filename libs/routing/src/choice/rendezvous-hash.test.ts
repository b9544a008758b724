import { describe, expect, it } from "vitest";
import { hash32, rendezvousPick } from "./rendezvous-hash.js";

const nodes = (...names: string[]) => names.map((name) => ({ name }));

describe("rendezvous hashing", () => {
  it("is stable: the same key picks the same node, whatever the candidate order", () => {
    const a = rendezvousPick("k1", nodes("A", "B", "C", "D"))!.name;
    expect(rendezvousPick("k1", nodes("D", "C", "B", "A"))!.name).toBe(a);
    expect(hash32("same")).toBe(hash32("same"));
  });

  it("moves only the keys of a node that leaves", () => {
    const keys = Array.from({ length: 500 }, (_, i) => `key-${i}`);
    const before = new Map(keys.map((k) => [k, rendezvousPick(k, nodes("A", "B", "C", "D"))!.name]));
    const after = new Map(keys.map((k) => [k, rendezvousPick(k, nodes("A", "B", "C"))!.name]));
    for (const k of keys) if (before.get(k) !== "D") expect(after.get(k)).toBe(before.get(k));
  });

  it("spreads keys roughly evenly", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const n = rendezvousPick(`k${i}`, nodes("A", "B", "C", "D"))!.name;
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    for (const c of counts.values()) expect(c).toBeGreaterThan(800);
  });

  it("answers undefined without candidates", () => {
    expect(rendezvousPick("k", [])).toBeUndefined();
  });
});
