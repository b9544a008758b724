import { describe, expect, it } from "vitest";
import { extractResult } from "./extract-result.js";

describe("extractResult", () => {
  it("takes the last ```json fenced block", () => {
    const out = ["working", "```json", '{"first": 1}', "```", "more", "```json", "{", '  "result": [1, 2]', "}", "```", "bye"].join("\n");
    expect(extractResult(out)).toEqual({ result: [1, 2] });
  });

  it("skips a fenced block that does not parse, for an earlier one that does", () => {
    const out = ["```json", '{"ok": true}', "```", "```json", "{not json", "```"].join("\n");
    expect(extractResult(out)).toEqual({ ok: true });
  });

  it("ignores fenced blocks of other languages", () => {
    const out = ["```json", '{"a": 1}', "```", "```ts", "const x = {b: 2};", "```"].join("\n");
    expect(extractResult(out)).toEqual({ a: 1 });
  });

  it("without a fence, takes the last JSON value standing on its own lines, even over several", () => {
    const out = ['{"early": true}', "thinking...", "{", '  "summary": "fixed it",', '  "files": ["a.ts"]', "}", ""].join("\n");
    expect(extractResult(out)).toEqual({ summary: "fixed it", files: ["a.ts"] });
  });

  it("takes a one-line JSON document (claude -p --output-format json)", () => {
    expect(extractResult('{"type":"result","result":"done","cost_usd":0.1}\n')).toEqual({ type: "result", result: "done", cost_usd: 0.1 });
  });

  it("takes arrays, and brackets inside strings do not confuse it", () => {
    expect(extractResult('log\n[{"msg": "a } b ] c \\" d"}]\n')).toEqual([{ msg: 'a } b ] c " d' }]);
  });

  it("does not take brackets inside prose, nor values sharing a line with text", () => {
    const out = ["[INFO] starting", "Fixed the bug [1] and {this}", 'result: {"a": 1}', "all done"].join("\n");
    expect(extractResult(out)).toEqual({ summary: out });
  });

  it("finds a value after a stray unclosed bracket", () => {
    expect(extractResult('{ never closed\n{"late": 2}\n')).toEqual({ late: 2 });
  });

  it("falls back to the text tail: the last 40 lines, at most 8 KB", () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`);
    const result = extractResult(lines.join("\n")) as { summary: string };
    expect(result.summary.split("\n")).toEqual(lines.slice(60));
    const long = extractResult(Array.from({ length: 40 }, () => "x".repeat(1000)).join("\n")) as { summary: string };
    expect(Buffer.byteLength(long.summary)).toBeLessThanOrEqual(8192);
    expect(long.summary.startsWith("x")).toBe(true);
  });

  it("answers output full of unclosed brackets without scanning it forever: the value, or the tail when its scan budget ran out", () => {
    const out = `${"{ unclosed\n".repeat(20_000)}{"ok": 1}\n`;
    const result = extractResult(out) as Record<string, unknown>;
    expect("ok" in result || "summary" in result).toBe(true);
  });
});
