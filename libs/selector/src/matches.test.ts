import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matches } from "./matches.js";
import { parseSelector } from "./parse-selector.js";
import type { SelectableInstance } from "./selectable-instance.js";

function instance(name: string, over: Partial<SelectableInstance> = {}): SelectableInstance {
  return { name, pool: "default", labels: {}, health: "healthy", activity: "idle", allocatedTo: null, ...over };
}

describe("matches", () => {
  it.each<[string, SelectableInstance, boolean]>([
    ["A", instance("A"), true],
    ["A", instance("a"), false],
    ["A", instance("AB"), false],
    ["A-H", instance("H"), true],
    ["A-H", instance("I"), false],
    ["A-H", instance("A-H"), false],
    ["kite-1..5", instance("kite-5"), true],
    ["kite-1..5", instance("kite-6"), false],
    ["w01..10", instance("w1"), false],
    ["w01..10", instance("w07"), true],
    ["kite-*", instance("kite-12"), true],
    ["kite-*", instance("kite"), false],
    ["?-1", instance("A-1"), true],
    ["?-1", instance("AB-1"), false],
    ["k.?", instance("kx7"), false],
    ["k.?", instance("k.7"), true],
    ["@all", instance("Z", { health: "down", activity: "error" }), true],
    ["@healthy", instance("A"), true],
    ["@healthy", instance("A", { health: "degraded" }), false],
    ["@healthy", instance("A", { health: "unknown" }), false],
    ["@idle", instance("A"), true],
    ["@idle", instance("A", { health: "unknown" }), true],
    ["@idle", instance("A", { health: "degraded" }), true],
    ["@idle", instance("A", { health: "down" }), false],
    ["@idle", instance("A", { activity: "busy" }), false],
    ["@idle", instance("A", { allocatedTo: "run-1" }), false],
    ["@idle", instance("A", { allocatedTo: "" }), true],
    ["@idle", instance("A", { allocatedTo: undefined }), true],
    ["@pool:gpu", instance("A", { pool: "gpu" }), true],
    ["@pool:gpu", instance("A"), false],
    ["@label:zone=eu", instance("A", { labels: { zone: "eu" } }), true],
    ["@label:zone=eu", instance("A", { labels: { zone: "us" } }), false],
    ["@label:zone=eu", instance("A"), false],
    ["@label:constructor=x", instance("A"), false],
    ["@claude", instance("A", { labels: { agent: "claude" } }), true],
    ["@claude", instance("A", { labels: { agent: "codex" } }), false],
    ["@codex", instance("A", { labels: { agent: "codex" } }), true],
    ["@gemini", instance("A", { labels: { agent: "gemini" } }), true],
    ["@opencode", instance("A", { labels: { agent: "opencode" } }), true],
    ["@opencode", instance("A"), false],
    ["@worktree:kite-1", instance("A", { labels: { worktree: "kite-1" } }), true],
    ["@worktree:kite-1", instance("A", { labels: { worktree: "kite-2" } }), false],
    ["@idle", instance("A", { activity: "completed" }), true],
    ["@idle", instance("A", { activity: "error" }), true],
    ["@idle", instance("A", { activity: "running" }), false],
  ])("%j on %j is %j", (text, inst, expected) => {
    expect(matches(parseSelector(text), inst)).toBe(expected);
  });

  it("a glob p* matches exactly the names starting with p", () => {
    const chars = fc.constantFrom(..."ab1-._");
    const word = fc.string({ unit: chars, minLength: 1, maxLength: 8 });
    const prefix = fc.string({ unit: fc.constantFrom(..."ab1"), minLength: 1, maxLength: 3 });
    fc.assert(fc.property(prefix, word, (p, name) => {
      expect(matches(parseSelector(`${p}*`), instance(name))).toBe(name.startsWith(p));
    }));
  });
});
