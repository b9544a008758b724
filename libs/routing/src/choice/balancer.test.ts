import { describe, expect, it } from "vitest";
import { Balancer } from "./balancer.js";

const nodes = (...names: string[]) => names.map((name) => ({ name }));

describe("Balancer", () => {
  it("rotates over equally loaded candidates", () => {
    const b = new Balancer();
    const picks = Array.from({ length: 6 }, () => b.pick(nodes("A", "B", "C"))!.name);
    expect(picks).toEqual(["A", "B", "C", "A", "B", "C"]);
  });

  it("prefers the candidate with the fewest calls in flight", () => {
    const b = new Balancer();
    const endA = b.begin("A");
    b.begin("B");
    b.begin("B");
    expect(Array.from({ length: 3 }, () => b.pick(nodes("A", "B", "C"))!.name)).toEqual(["C", "C", "C"]);
    b.begin("C");
    b.begin("C");
    expect(b.pick(nodes("A", "B", "C"))!.name).toBe("A");
    endA();
    endA(); // twice is harmless
    expect(b.load("A")).toBe(0);
    expect(b.load("B")).toBe(2);
  });

  it("follows rendezvous hashing when given a key", () => {
    const b = new Balancer();
    const first = b.pick(nodes("A", "B", "C"), "user-1")!.name;
    b.begin(first);
    expect(b.pick(nodes("A", "B", "C"), "user-1")!.name).toBe(first);
  });

  it("answers undefined for no candidates and the only one for one", () => {
    const b = new Balancer();
    expect(b.pick([])).toBeUndefined();
    expect(b.pick(nodes("A"))!.name).toBe("A");
  });
});
