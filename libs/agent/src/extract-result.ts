import type { JsonValue } from "@bufbuild/protobuf";
import { outputTail } from "./output-tail.js";

/** How much of the end of the output is searched for a JSON value. */
const SEARCH_WINDOW = 256 * 1024;
/** Characters the bracket matcher may scan in all, so pathological output (thousands of unclosed brackets) stays cheap. */
const SCAN_BUDGET = 8 * 1024 * 1024;

const FENCE_OPEN = /^\s*```json\s*$/i;
const FENCE_CLOSE = /^\s*```\s*$/;

/**
 * The result of a run that exited 0, from its standard output: the last
 * ```json fenced block that parses; else the last JSON object or array that
 * stands on its own lines (it starts a line and ends one; it may span
 * several) and parses; else `{"summary": <the text tail>}` (last 40 lines,
 * at most 8 KB). Agents are told to end with such a block; plain JSON
 * output (`claude -p --output-format json`) works as is.
 */
export function extractResult(stdout: string): JsonValue {
  const text = stdout.length > SEARCH_WINDOW ? stdout.slice(stdout.length - SEARCH_WINDOW) : stdout;
  const lines = text.split(/\r?\n/);
  return lastFencedJson(lines) ?? lastStandaloneJson(text) ?? { summary: outputTail(lines) };
}

function lastFencedJson(lines: readonly string[]): JsonValue | undefined {
  for (let close = lines.length - 1; close > 0; close--) {
    if (!FENCE_CLOSE.test(lines[close]!)) continue;
    for (let open = close - 1; open >= 0; open--) {
      if (FENCE_CLOSE.test(lines[open]!)) break;
      if (!FENCE_OPEN.test(lines[open]!)) continue;
      const parsed = parse(lines.slice(open + 1, close).join("\n"));
      if (parsed !== undefined) return parsed;
      break;
    }
  }
  return undefined;
}

/**
 * Scans for `{`/`[` at a line start (after blanks), finds the bracket that
 * closes it (string-aware), and keeps the span when only blanks follow it
 * on its line and it parses. Later spans win. A span that does not parse
 * is searched again from the next character, so a stray bracket in prose
 * hides nothing.
 */
function lastStandaloneJson(text: string): JsonValue | undefined {
  let found: JsonValue | undefined;
  const budget = { left: SCAN_BUDGET };
  let i = 0;
  while (i < text.length && budget.left > 0) {
    const start = nextLineStartBracket(text, i);
    if (start < 0) break;
    const end = closingBracket(text, start, budget);
    if (end >= 0 && restOfLineBlank(text, end + 1)) {
      const parsed = parse(text.slice(start, end + 1));
      if (parsed !== undefined) {
        found = parsed;
        i = end + 1;
        continue;
      }
    }
    i = start + 1;
  }
  return found;
}

/** The index of the next `{` or `[` that is the first non-blank character of its line, at or after `from`. */
function nextLineStartBracket(text: string, from: number): number {
  const pattern = /^[ \t]*([[{])/gm;
  pattern.lastIndex = from;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const at = m.index + m[0].length - 1;
    if (at >= from) return at;
  }
  return -1;
}

/** The index of the bracket closing the one at `start`, skipping strings; -1 when it never closes (or the budget ran out). */
function closingBracket(text: string, start: number, budget: { left: number }): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    if (--budget.left < 0) return -1;
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function restOfLineBlank(text: string, from: number): boolean {
  const newline = text.indexOf("\n", from);
  return text.slice(from, newline < 0 ? text.length : newline).trim() === "";
}

function parse(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}
