import { toJson } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { TerminalSchema, type Terminal } from "@orchestrator/contracts";
import { ago, printTable } from "../output/print.js";

/** A terminal as proto JSON (camelCase), what `--json` prints. */
export function terminalJson(t: Terminal): Record<string, unknown> {
  return toJson(TerminalSchema, t) as Record<string, unknown>;
}

/** `running`, `idle`, or `exited N`: a terminal's state in a word or two. */
export function terminalState(t: Terminal): string {
  if (t.status === "exited") return `exited ${t.exitCode}`;
  return t.idle ? "idle" : t.status;
}

/** Terminals as a table (a row of `-` for one whose host does not answer). */
export function printTerminals(rows: ReadonlyArray<{ name: string; worktree: string; title: string; terminal?: Terminal }>): void {
  printTable(
    ["HANDLE", "TITLE", "WORKTREE", "STATE", "PID", "LAST OUTPUT", "COMMAND"],
    rows.map(({ name, worktree, title, terminal: t }) =>
      t
        ? [name, t.title || "-", t.worktree, terminalState(t), String(t.pid), ago(t.lastOutputAt && timestampDate(t.lastOutputAt)), t.command]
        : [name, title || "-", worktree, "unreachable", "-", "-", "-"],
    ),
  );
}

/** One terminal, field by field (`terminal show`). */
export function printTerminalDetail(t: Terminal): void {
  const rows: Array<[string, string]> = [
    ["handle", t.name],
    ["title", t.title || "-"],
    ["command", t.command],
    ["agent", t.agent || "-"],
    ["worktree", `${t.worktree} (${t.workdir})`],
    ["status", terminalState(t)],
    ["pid", `${t.pid} (host ${t.hostPid})`],
  ];
  if (t.status === "exited") rows.push(["exit code", String(t.exitCode)]);
  if (t.splitFrom) rows.push(["split from", `${t.splitFrom} (${t.direction})`]);
  rows.push(
    ["started", ago(t.startedAt && timestampDate(t.startedAt))],
    ["last output", ago(t.lastOutputAt && timestampDate(t.lastOutputAt))],
    ["lines", String(t.lines)],
  );
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n") + "\n");
}
