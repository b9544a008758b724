import type { JsonValue } from "@bufbuild/protobuf";
import { DomainError } from "@orchestrator/errors";
import { parseSelector } from "@orchestrator/selector";
import { z } from "zod";
import { describeCycle } from "../tasks/describe-cycle.js";
import { findCycle } from "../tasks/find-cycle.js";
import { InvalidSpecError } from "./invalid-spec-error.js";

/** One task of a run's graph; `key` is unique in the run (the task id is `<run id>:<key>`). */
export interface GraphTask {
  readonly key: string;
  readonly spec: string;
  readonly deps: readonly string[];
  readonly payload?: JsonValue;
  readonly target?: string;
  readonly maxAttempts?: number;
  readonly priority?: number;
  readonly timeoutMs?: number;
}

/** A run's task graph. */
export interface RunGraph {
  readonly tasks: readonly GraphTask[];
  readonly target?: string;
  readonly maxConcurrency?: number;
}

/** Finds the line of a path in the source document (undefined when unknown). */
export type Locate = (path: ReadonlyArray<string | number>) => number | undefined;

const KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const taskSchema = z
  .object({
    id: z.string().min(1).max(64).regex(KEY, "must be letters, digits, '.', '_' or '-', starting with a letter or digit"),
    spec: z.string().min(1).max(65536),
    deps: z.array(z.string()).max(1000).default([]),
    payload: z.json().optional(),
    target: z.string().min(1).max(256).optional(),
    maxAttempts: z.number().int().min(1).max(10).optional(),
    priority: z.number().int().min(-1000).max(1000).optional(),
    timeoutMs: z.number().int().min(1).max(604_800_000).optional(),
  })
  .strict();
const graphSchema = z
  .object({
    tasks: z.array(taskSchema).min(1).max(50_000),
    target: z.string().min(1).max(256).optional(),
    maxConcurrency: z.number().int().min(1).max(1024).optional(),
  })
  .strict();

const ALIASES: Record<string, string> = { max_attempts: "maxAttempts", timeout_ms: "timeoutMs", max_concurrency: "maxConcurrency", key: "id", depends_on: "deps", dependsOn: "deps" };

/**
 * Checks a parsed document as a task graph: `{tasks: [...], target?,
 * maxConcurrency?}` (or the tasks list alone); snake_case names are
 * accepted too. Keys must be unique, deps must name tasks of the graph,
 * there must be no cycle (the error names it), and targets must be valid
 * selectors. Errors are InvalidSpecError with the line `locate` finds.
 */
export function toRunGraph(value: unknown, locate: Locate = () => undefined): RunGraph {
  const doc = normalize(Array.isArray(value) ? { tasks: value } : value);
  const parsed = graphSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const name = path.length > 0 ? `${formatPath(path)}: ` : "";
    throw new InvalidSpecError(`${name}${issue.message}`, locate(path));
  }
  const graph = parsed.data;
  const index = new Map<string, number>();
  graph.tasks.forEach((t, i) => {
    if (index.has(t.id)) throw new InvalidSpecError(`tasks[${i}].id: duplicate task id "${t.id}"`, locate(["tasks", i, "id"]));
    index.set(t.id, i);
  });
  graph.tasks.forEach((t, i) => {
    t.deps.forEach((dep, j) => {
      if (t.deps.indexOf(dep) !== j) throw new InvalidSpecError(`tasks[${i}].deps[${j}]: "${dep}" is listed twice`, locate(["tasks", i, "deps", j]));
      if (!index.has(dep)) throw new InvalidSpecError(`tasks[${i}].deps[${j}]: unknown dependency "${dep}": no task of the spec has this id`, locate(["tasks", i, "deps", j]));
    });
    if (t.target) checkSelector(t.target, `tasks[${i}].target`, locate(["tasks", i, "target"]));
  });
  if (graph.target) checkSelector(graph.target, "target", locate(["target"]));
  const cycle = findCycle(
    graph.tasks.map((t) => t.id),
    (id) => graph.tasks[index.get(id)!]!.deps,
  );
  if (cycle) throw new InvalidSpecError(describeCycle(cycle), locate(["tasks", index.get(cycle[0]!)!, "deps"]));
  return {
    tasks: graph.tasks.map((t) => ({
      key: t.id,
      spec: t.spec,
      deps: t.deps,
      ...(t.payload !== undefined ? { payload: t.payload as JsonValue } : {}),
      ...(t.target ? { target: t.target } : {}),
      ...(t.maxAttempts ? { maxAttempts: t.maxAttempts } : {}),
      ...(t.priority !== undefined ? { priority: t.priority } : {}),
      ...(t.timeoutMs ? { timeoutMs: t.timeoutMs } : {}),
    })),
    ...(graph.target ? { target: graph.target } : {}),
    ...(graph.maxConcurrency ? { maxConcurrency: graph.maxConcurrency } : {}),
  };
}

function checkSelector(text: string, field: string, line: number | undefined): void {
  try {
    parseSelector(text, field);
  } catch (err) {
    throw new InvalidSpecError(err instanceof DomainError ? err.message : `${field}: invalid selector "${text}"`, line);
  }
}

function normalize(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = ALIASES[k] ?? k;
    out[key] = key === "tasks" && Array.isArray(v) ? v.map(normalize) : v;
  }
  return out;
}

function formatPath(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}
