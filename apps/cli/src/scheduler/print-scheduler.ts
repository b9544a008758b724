import { toJson } from "@bufbuild/protobuf";
import { timestampDate, ValueSchema, type Timestamp, type Value } from "@bufbuild/protobuf/wkt";
import type { DispatchContext, Gate, Run, Task } from "@orchestrator/contracts";
import { ago, printTable } from "../output/print.js";

const when = (t: Timestamp | undefined) => ago(t && timestampDate(t));
const short = (text: string, max = 48) => (text.length > max ? `${text.slice(0, max - 1)}…` : text).replace(/\s+/g, " ");

/** A google.protobuf.Value as compact JSON text ("-" when unset). */
export function valueText(value: Value | undefined, max = 80): string {
  return value === undefined ? "-" : short(JSON.stringify(toJson(ValueSchema, value)), max);
}

/** Tasks as a table. */
export function printTasks(tasks: readonly Task[]): void {
  printTable(
    ["ID", "STATUS", "DEPS", "ATTEMPTS", "SPEC", "DETAIL"],
    tasks.map((t) => [
      t.id,
      t.status,
      t.deps.join(",") || "-",
      String(t.attempts),
      short(t.spec),
      t.status === "failed" ? short(`${t.failureReason}: ${t.error}`, 60) : t.status === "completed" ? valueText(t.result, 40) : t.status === "pending" ? `${t.pendingDeps} dep(s) left` : "",
    ]),
  );
}

/** One task, field by field. */
export function printTaskDetail(t: Task): void {
  const rows: Array<[string, string]> = [
    ["id", t.id],
    ["status", t.status],
    ["spec", t.spec],
    ["deps", t.deps.join(", ") || "-"],
    ["pending deps", String(t.pendingDeps)],
    ["target", t.target || "-"],
    ["priority", String(t.priority)],
    ["max attempts", String(t.maxAttempts)],
    ["attempts", String(t.attempts)],
    ["payload", valueText(t.payload, 200)],
    ["result", valueText(t.result, 200)],
  ];
  if (t.status === "failed") rows.push(["failure", `${t.failureReason}${t.failedDependency ? ` (${t.failedDependency})` : ""}: ${t.error}`]);
  if (t.runId) rows.push(["run", `${t.runId} (key ${t.key})`]);
  if (t.parentId) rows.push(["parent", t.parentId]);
  rows.push(["created", when(t.createdAt)], ["updated", when(t.updatedAt)]);
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n") + "\n");
}

/** Dispatch contexts as a table, attempt 1 first. */
export function printContexts(contexts: readonly DispatchContext[]): void {
  printTable(
    ["ATTEMPT", "ID", "INSTANCE", "KIND", "STATUS", "FAILURES", "DISPATCHED", "DETAIL"],
    contexts.map((c) => [
      String(c.attempt),
      c.id,
      c.instance,
      c.kind,
      c.status,
      String(c.consecutiveFailures),
      when(c.dispatchedAt),
      c.error ? short(c.error, 60) : c.status === "completed" ? valueText(c.result, 40) : "",
    ]),
  );
}

/** Gates as a table. */
export function printGates(gates: readonly Gate[]): void {
  printTable(
    ["ID", "TASK", "STATUS", "QUESTION", "OPTIONS", "RESOLUTION", "DEADLINE"],
    gates.map((g) => [
      g.id,
      g.taskId,
      g.status,
      short(g.question),
      g.options.join("/") || "-",
      g.resolution ? `${g.resolution}${g.resolvedBy ? ` (${g.resolvedBy})` : ""}` : "-",
      g.deadline ? timestampDate(g.deadline).toISOString() : "-",
    ]),
  );
}

/** Runs as a table. */
export function printRuns(runs: readonly Run[]): void {
  printTable(
    ["ID", "STATUS", "TASKS", "DONE", "FAILED", "MAX", "COORDINATOR", "OWNER", "STARTED"],
    runs.map((r) => [
      r.id,
      r.status,
      String(r.counts?.total ?? 0),
      String(r.counts?.completed ?? 0),
      String(r.counts?.failed ?? 0),
      String(r.maxConcurrency),
      r.coordinator || "-",
      r.owner || "-",
      when(r.createdAt),
    ]),
  );
}
