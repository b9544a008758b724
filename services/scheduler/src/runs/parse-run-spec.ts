import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { InvalidSpecError } from "./invalid-spec-error.js";
import { jsonErrorOffset } from "./json-error-offset.js";
import { toRunGraph, type Locate, type RunGraph } from "./run-graph.js";

/** The format a spec is given in; empty means detect. */
export type SpecFormat = "" | "yaml" | "json" | "text";

/** A parsed spec: a task graph, or free text for the decomposer. */
export type ParsedSpec = { readonly kind: "graph"; readonly format: "yaml" | "json"; readonly graph: RunGraph } | { readonly kind: "text"; readonly text: string };

/**
 * Most alias expansions a YAML spec may make (yaml's own default): an alias
 * bomb beyond it is INVALID_ARGUMENT `invalid_spec`, not a server busy
 * expanding it.
 */
export const MAX_ALIAS_COUNT = 100;

const LOOKS_STRUCTURED = /^\s*(tasks\s*:|-\s+(id|key|spec)\s*:)/m;

/**
 * Parses a run spec. JSON (a document starting with `{` or `[`, or
 * `format: json`) and YAML graphs become a RunGraph; free text (or
 * `format: text`) is left for the decomposer. A document that looks
 * structured but does not parse, or parses to something that is no valid
 * graph, is an InvalidSpecError naming the line.
 */
export function parseRunSpec(spec: string, format: SpecFormat = ""): ParsedSpec {
  if (format === "text") return { kind: "text", text: spec };
  const trimmed = spec.trimStart();
  if (format === "json" || (format === "" && (trimmed.startsWith("{") || trimmed.startsWith("[")))) {
    let value: unknown;
    try {
      value = JSON.parse(spec);
    } catch (err) {
      throw new InvalidSpecError(`not valid JSON: ${(err as Error).message}`, jsonErrorLine(spec, err as Error));
    }
    return { kind: "graph", format: "json", graph: toRunGraph(value, locator(spec)) };
  }
  const lines = new LineCounter();
  const doc = parseDocument(spec, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    if (format === "" && !LOOKS_STRUCTURED.test(spec)) return { kind: "text", text: spec };
    const error = doc.errors[0]!;
    const line = error.linePos?.[0]?.line ?? lines.linePos(error.pos[0]).line;
    throw new InvalidSpecError(`not valid YAML: ${error.message.split("\n")[0]}`, line);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // yaml throws a ReferenceError for an alias that expands too much (a "billion laughs" bomb) or names no anchor.
    throw new InvalidSpecError(`not valid YAML: ${String((err as Error).message).split("\n")[0]!.slice(0, 200)}`);
  }
  const structured = (typeof value === "object" && value !== null && (Array.isArray(value) || "tasks" in value)) || format === "yaml";
  if (!structured) return { kind: "text", text: spec };
  return { kind: "graph", format: "yaml", graph: toRunGraph(value, locateIn(doc, lines)) };
}

/** A Locate over `source` (YAML or JSON; JSON is re-read as YAML only to find lines, and only when an error needs one). */
export function locator(source: string): Locate {
  let locate: Locate | undefined;
  return (path) => {
    if (!locate) {
      const lines = new LineCounter();
      locate = locateIn(parseDocument(source, { lineCounter: lines, prettyErrors: false }), lines);
    }
    return locate(path);
  };
}

function locateIn(doc: Document, lines: LineCounter): Locate {
  return (path) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
      const start = node && (isMap(node) || isSeq(node) || "range" in node) ? node.range?.[0] : undefined;
      if (start !== undefined) return lines.linePos(start).line;
    }
    return undefined;
  };
}

/** The line of a JSON.parse error: from "(line L column C)" (Node 22+), "position N", else found by scanning. */
function jsonErrorLine(text: string, err: Error): number | undefined {
  const line = /line (\d+) column \d+/.exec(err.message);
  if (line) return Number(line[1]);
  const position = /position (\d+)/.exec(err.message);
  const offset = position ? Number(position[1]) : jsonErrorOffset(text);
  return offset === undefined ? undefined : text.slice(0, offset).split("\n").length;
}
