import { InvalidArgumentError } from "@orchestrator/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidInstanceName } from "./is-valid-instance-name.js";
import { parseSelector } from "./parse-selector.js";
import type { Selector } from "./selector.js";

/** Names built from the grammar; letter-range shapes (`A-H`) are excluded because they read as ranges. */
const validName = fc
  .tuple(
    fc.constantFrom(..."abcXYZ019"),
    fc.string({ unit: fc.constantFrom(..."aZ09_.-"), maxLength: 40 }),
    fc.constantFrom(..."kQ7"),
  )
  .map(([head, middle, tail]) => (head + middle + tail).replace(/\.{2,}/g, ".").slice(0, 63))
  .filter((name) => isValidInstanceName(name) && !/^[A-Za-z]-[A-Za-z]$/.test(name));

function parseError(text: string, field?: string): InvalidArgumentError {
  try {
    parseSelector(text, field);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe("parseSelector", () => {
  it.each<[string, Selector]>([
    ["A", { kind: "name", name: "A" }],
    ["kite-3", { kind: "name", name: "kite-3" }],
    ["a_b.c-9", { kind: "name", name: "a_b.c-9" }],
    ["1-5", { kind: "name", name: "1-5" }],
    ["AB-CD", { kind: "name", name: "AB-CD" }],
    ["@all", { kind: "group", group: "all" }],
    ["@idle", { kind: "group", group: "idle" }],
    ["@healthy", { kind: "group", group: "healthy" }],
    ["@pool:gpu", { kind: "pool", pool: "gpu" }],
    ["@claude", { kind: "agent", agent: "claude" }],
    ["@opencode", { kind: "agent", agent: "opencode" }],
    ["@worktree:kite-1", { kind: "worktree", worktree: "kite-1" }],
    ["@label:zone=eu-1", { kind: "label", key: "zone", value: "eu-1" }],
    ["@label:k=a=b c", { kind: "label", key: "k", value: "a=b c" }],
  ])("parses %j", (text, expected) => {
    expect(parseSelector(text)).toEqual(expected);
  });

  it.each<[string, string[]]>([
    ["A-H", ["A", "B", "C", "D", "E", "F", "G", "H"]],
    ["a-c", ["a", "b", "c"]],
    ["C-C", ["C"]],
    ["kite-1..5", ["kite-1", "kite-2", "kite-3", "kite-4", "kite-5"]],
    ["w01..03", ["w01", "w02", "w03"]],
    ["w08..10", ["w08", "w09", "w10"]],
    ["w1..3", ["w1", "w2", "w3"]],
    ["n9..11", ["n9", "n10", "n11"]],
    ["3..5", ["3", "4", "5"]],
    ["x.7..8", ["x.7", "x.8"]],
  ])("expands the range %j", (text, names) => {
    expect(parseSelector(text)).toEqual({ kind: "range", names, text });
  });

  it("expands a range of exactly 10,000 names", () => {
    const selector = parseSelector("n1..10000");
    expect(selector.kind === "range" && selector.names.length).toBe(10_000);
  });

  it.each([["kite-*"], ["?-1"], ["*"], ["a*b?c"]])("parses the glob %j", (text) => {
    const selector = parseSelector(text);
    expect(selector).toMatchObject({ kind: "glob", pattern: text });
  });

  it.each<[string, string]>([
    ["", "must not be empty"],
    [" ", "must not be blank"],
    ["\t\n", "must not be blank"],
    [" A", "whitespace"],
    ["A ", "whitespace"],
    ["A B", "may only contain"],
    ["x".repeat(257), "at most 256 characters"],
    ["x".repeat(64), "at most 63 characters"],
    ["A-", "one letter on each side"],
    ["-A", "one letter on each side"],
    ["kite-", "start and end with a letter or digit"],
    ["_x", "start and end with a letter or digit"],
    ["A-h", "same case"],
    ["H-A", "after its end"],
    ["kite-5..1", "after its end"],
    ["kite..5", "numeric range"],
    ["kite-1..", "numeric range"],
    ["kite-1..5x", "numeric range"],
    ["-k1..3", "prefix"],
    ["a..b1..3", "prefix"],
    ["n1..10001", "at most 10000 names"],
    ["n1..9999999999999999", "too large"],
    [`${"p".repeat(62)}1..10`, "exceed 63 characters"],
    ["kite/1", "may only contain"],
    ["kite-[1]*", "a glob may only contain"],
    ["@unknown", "unknown group"],
    ["@worktree:", "@worktree: needs a worktree id"],
    ["@worktree:a b", "may only contain"],
    ["@", "unknown group"],
    ["@ALL", "unknown group"],
    ["@pool:", "needs a pool name"],
    ["@pool:-x", "pool name"],
    ["@label:k", "@label:KEY=VALUE"],
    ["@label:=v", "non-empty key"],
    ["@label:k=", "non-empty value"],
    ["@label:k=a,b", "must not contain ','"],
  ])("rejects %j (%s)", (text, rule) => {
    const error = parseError(text, "instances[1]");
    expect(error.reason).toBe("invalid_selector");
    expect(error.status).toBe("invalid_argument");
    expect(error.field).toBe("instances[1]");
    expect(error.rule).toContain(rule);
    expect(error.message).toContain(`instances[1]: selector ${JSON.stringify(text)}`);
    expect(error.violations).toEqual([{ field: "instances[1]", description: error.rule }]);
  });

  it("names the default field when none is given", () => {
    expect(parseError("A-").field).toBe("selector");
  });
});

describe("parseSelector properties", () => {
  it("parses any valid name as itself", () => {
    fc.assert(fc.property(validName, (name) => {
      expect(parseSelector(name)).toEqual({ kind: "name", name });
    }));
  });

  it("expands a letter range X-Y to Y-X+1 letters in order", () => {
    const upper = fc.integer({ min: 65, max: 90 });
    const lower = fc.integer({ min: 97, max: 122 });
    const pair = fc.oneof(fc.tuple(upper, upper), fc.tuple(lower, lower)).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
    fc.assert(fc.property(pair, ([from, to]) => {
      const text = `${String.fromCharCode(from)}-${String.fromCharCode(to)}`;
      const selector = parseSelector(text);
      if (selector.kind !== "range") throw new Error(`expected a range, got ${selector.kind}`);
      expect(selector.names).toHaveLength(to - from + 1);
      selector.names.forEach((name, i) => expect(name).toBe(String.fromCharCode(from + i)));
    }));
  });

  it("expands prefix a..b to b-a+1 names with the prefix, in increasing order", () => {
    const prefix = fc.constantFrom("", "kite-", "w", "pool.a_", "n1-");
    const bounds = fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 300 }));
    fc.assert(fc.property(prefix, bounds, fc.boolean(), (p, [a, span], pad) => {
      const from = pad ? String(a).padStart(6, "0") : String(a);
      const selector = parseSelector(`${p}${from}..${a + span}`);
      if (selector.kind !== "range") throw new Error(`expected a range, got ${selector.kind}`);
      expect(selector.names).toHaveLength(span + 1);
      selector.names.forEach((name, i) => {
        expect(name.startsWith(p)).toBe(true);
        expect(Number(name.slice(p.length))).toBe(a + i);
        if (pad) expect(name.length).toBe(p.length + 6);
        expect(isValidInstanceName(name)).toBe(true);
      });
    }));
  });

  it("throws nothing but InvalidArgumentError on arbitrary strings", () => {
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: fc.constantFrom(..."aZ09-.*?@:=,_ "), maxLength: 20 }),
      fc.string({ unit: "grapheme", maxLength: 20 }),
    );
    fc.assert(fc.property(text, (t) => {
      try {
        parseSelector(t);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidArgumentError);
        expect((error as InvalidArgumentError).reason).toBe("invalid_selector");
      }
    }), { numRuns: 2000 });
  });
});
