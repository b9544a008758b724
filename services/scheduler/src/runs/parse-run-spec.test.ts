import { describe, expect, it } from "vitest";
import { InvalidSpecError } from "./invalid-spec-error.js";
import { parseRunSpec } from "./parse-run-spec.js";

function specError(spec: string, format: "" | "yaml" | "json" = ""): InvalidSpecError {
  try {
    parseRunSpec(spec, format);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidSpecError);
    return err as InvalidSpecError;
  }
  throw new Error("expected an InvalidSpecError");
}

const diamond = `
target: "@pool:demo"
maxConcurrency: 2
tasks:
  - id: a
    spec: fetch
  - id: b
    spec: left
    deps: [a]
  - id: c
    spec: right
    deps: [a]
    max_attempts: 5
  - id: d
    spec: join
    deps: [b, c]
    payload: {demo: {delayMs: 5}}
`;

describe("parseRunSpec", () => {
  it("reads a YAML graph, accepting snake_case names", () => {
    const parsed = parseRunSpec(diamond);
    expect(parsed.kind).toBe("graph");
    if (parsed.kind !== "graph") return;
    expect(parsed.format).toBe("yaml");
    expect(parsed.graph.target).toBe("@pool:demo");
    expect(parsed.graph.maxConcurrency).toBe(2);
    expect(parsed.graph.tasks.map((t) => [t.key, t.deps])).toEqual([
      ["a", []],
      ["b", ["a"]],
      ["c", ["a"]],
      ["d", ["b", "c"]],
    ]);
    expect(parsed.graph.tasks[2]!.maxAttempts).toBe(5);
    expect(parsed.graph.tasks[3]!.payload).toEqual({ demo: { delayMs: 5 } });
  });

  it("reads a JSON graph, or a bare list of tasks", () => {
    const parsed = parseRunSpec(JSON.stringify({ tasks: [{ id: "x", spec: "do x" }] }));
    expect(parsed).toMatchObject({ kind: "graph", format: "json" });
    expect(parseRunSpec('[{"id": "y", "spec": "do y"}]')).toMatchObject({ kind: "graph", graph: { tasks: [{ key: "y" }] } });
  });

  it("takes prose as free text for the decomposer", () => {
    expect(parseRunSpec("Add a login page, then write tests for it.")).toEqual({ kind: "text", text: "Add a login page, then write tests for it." });
    expect(parseRunSpec("tasks: do everything", "text")).toMatchObject({ kind: "text" });
  });

  it("names the line of a YAML syntax error", () => {
    const err = specError("tasks:\n  - id: a\n    spec: [unclosed\n  - id: b\n");
    expect(err.reason).toBe("invalid_spec");
    expect(err.message).toMatch(/^spec: line \d+: not valid YAML/);
    expect(err.line).toBeGreaterThanOrEqual(3);
  });

  it("names the line of a JSON syntax error", () => {
    const err = specError('{\n  "tasks": [\n    {"id": "a", "spec": "x"},,\n  ]\n}');
    expect(err.message).toMatch(/^spec: line 3: not valid JSON/);
  });

  it("names the line of an unknown dependency", () => {
    const err = specError("tasks:\n  - id: a\n    spec: x\n  - id: b\n    spec: y\n    deps: [a, nope]\n");
    expect(err.message).toBe('spec: line 6: tasks[1].deps[1]: unknown dependency "nope": no task of the spec has this id');
  });

  it("names a cycle and its line", () => {
    const err = specError("tasks:\n  - id: a\n    spec: x\n    deps: [b]\n  - id: b\n    spec: y\n    deps: [a]\n");
    expect(err.message).toBe("spec: line 4: dependency cycle a → b → a");
  });

  it("names schema violations with their line: missing spec, unknown field, duplicate id, bad selector", () => {
    expect(specError("tasks:\n  - id: a\n").message).toMatch(/^spec: line 2: tasks\[0\]\.spec: /);
    expect(specError("tasks:\n  - id: a\n    spec: x\n    depz: [b]\n").message).toMatch(/line 2: tasks\[0\]: Unrecognized key/);
    expect(specError("tasks:\n  - id: a\n    spec: x\n  - id: a\n    spec: y\n").message).toBe('spec: line 4: tasks[1].id: duplicate task id "a"');
    expect(specError("tasks:\n  - id: a\n    spec: x\n  - id: b\n    spec: y\n    deps: [a, a]\n").message).toBe('spec: line 6: tasks[1].deps[1]: "a" is listed twice');
    expect(specError("tasks:\n  - id: a\n    spec: x\n    target: '@nope:x'\n").message).toMatch(/^spec: line 4: /);
  });

  it("refuses an empty graph", () => {
    expect(specError("tasks: []").message).toMatch(/tasks/);
  });
});

describe("jsonErrorOffset", () => {
  it("points at the first character JSON forbids", async () => {
    const { jsonErrorOffset } = await import("./json-error-offset.js");
    expect(jsonErrorOffset('{"a": [1,,2]}')).toBe(9);
    expect(jsonErrorOffset('{"a": 1')).toBe(7);
    expect(jsonErrorOffset('{"a": tru}')).toBe(6);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(jsonErrorOffset('{"a": 1}')).toBeUndefined();
  });
});
