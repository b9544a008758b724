import { DomainError, InvalidArgumentError, NotFoundError } from "@orchestrator/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveSelectors } from "./resolve-selectors.js";
import type { SelectableInstance } from "./selectable-instance.js";

function instance(name: string, over: Partial<SelectableInstance> = {}): SelectableInstance {
  return { name, pool: "default", labels: {}, health: "healthy", activity: "idle", allocatedTo: null, ...over };
}

const registry = [
  instance("A"),
  instance("B", { activity: "busy" }),
  instance("C", { health: "down" }),
  instance("kite-1", { pool: "kites", labels: { zone: "eu" } }),
  instance("kite-2", { pool: "kites", labels: { zone: "us" } }),
];

function names(texts: string[], exclude?: string[]): string[] {
  return resolveSelectors(texts, registry, { exclude }).map((i) => i.name);
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("resolveSelectors", () => {
  it.each<[string[], string[]]>([
    [["A"], ["A"]],
    [["B", "A"], ["A", "B"]],
    [["A-H"], ["A", "B", "C"]],
    [["A", "A-C", "@all"], ["A", "B", "C", "kite-1", "kite-2"]],
    [["kite-*"], ["kite-1", "kite-2"]],
    [["kite-1..9"], ["kite-1", "kite-2"]],
    [["@idle"], ["A", "kite-1", "kite-2"]],
    [["@healthy"], ["A", "B", "kite-1", "kite-2"]],
    [["@pool:kites"], ["kite-1", "kite-2"]],
    [["@label:zone=us"], ["kite-2"]],
    [[], []],
  ])("%j resolves to %j", (texts, expected) => {
    expect(names(texts)).toEqual(expected);
  });

  it("drops excluded names", () => {
    expect(names(["@all"], ["A", "kite-2"])).toEqual(["B", "C", "kite-1"]);
  });

  it("keeps the caller's instance objects", () => {
    const [first] = resolveSelectors(["A"], registry);
    expect(first).toBe(registry[0]);
  });

  it("rejects an unknown name with unknown_instance, naming it", () => {
    const error = thrown(() => names(["A", "Z"]));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: "not_found", reason: "unknown_instance" });
    expect((error as Error).message).toContain('"Z"');
  });

  it.each([["kite-3..4"], ["x*"], ["@pool:none"], ["@label:zone=ap"], ["D-F"]])("rejects %j matching nothing with no_match", (text) => {
    const error = thrown(() => names(["A", text]));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ status: "not_found", reason: "no_match", metadata: { selector: text, field: "selectors[1]" } });
    expect((error as Error).message).toContain(`"${text}"`);
  });

  it("rejects a selector that only matches excluded instances", () => {
    expect(thrown(() => names(["@pool:kites"], ["kite-1", "kite-2"]))).toMatchObject({ reason: "no_match" });
    expect(thrown(() => names(["A"], ["A"]))).toMatchObject({ reason: "no_match" });
  });

  it("names the request field of a bad selector", () => {
    const error = thrown(() => resolveSelectors(["A", "A-"], registry, { field: "targets" }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ field: "targets[1]", reason: "invalid_selector" });
  });

  it("answers a duplicate-free subset of the registry, in registry order", () => {
    const names = fc.uniqueArray(fc.constantFrom("A", "B", "C", "D", "k-1", "k-2", "k-10", "x.y"), { minLength: 1 });
    const selectorText = fc.constantFrom("A-D", "k-*", "k-1..3", "@all", "@idle", "@healthy", "@pool:p1", "@label:t=1", "?", "B", "k-10");
    const inst = (name: string, n: number) =>
      instance(name, {
        pool: n % 2 ? "p1" : "p2",
        labels: n % 3 ? { t: "1" } : {},
        health: n % 4 ? "healthy" : "down",
        activity: n % 5 ? "idle" : "busy",
      });
    fc.assert(fc.property(names, fc.array(selectorText, { maxLength: 5 }), fc.nat(), (ns, texts, seed) => {
      const instances = ns.map((name, i) => inst(name, i + seed));
      let result: SelectableInstance[];
      try {
        result = resolveSelectors(texts, instances);
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).status).toBe("not_found");
        return;
      }
      expect(new Set(result).size).toBe(result.length);
      const positions = result.map((r) => instances.indexOf(r));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    }));
  });
});
