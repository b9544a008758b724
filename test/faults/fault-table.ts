/** One row of the fault suite's report. */
export interface FaultRow {
  readonly scenario: string;
  /** gRPC codes callers saw while it lasted, with counts: `OK 212, UNAVAILABLE 31`. */
  readonly codes: string;
  /** How long callers saw failures (first to last failed call), in seconds. */
  readonly downtimeS: number;
  readonly tasksLostOrDuplicated: number;
  readonly messagesLostOrDuplicated: number;
  /** Lines every replica logged at warn or error level meanwhile. */
  readonly errorLogLines: number;
}

/** The report as a Markdown table (printed by the suite, copied into the README). */
export function formatFaultTable(rows: readonly FaultRow[]): string {
  const header = "| scenario | codes seen by callers | downtime | tasks lost/dup | messages lost/dup | warn+error log lines |";
  const rule = "| --- | --- | --- | --- | --- | --- |";
  return [header, rule, ...rows.map((r) => `| ${r.scenario} | ${r.codes} | ${r.downtimeS.toFixed(1)} s | ${r.tasksLostOrDuplicated} | ${r.messagesLostOrDuplicated} | ${r.errorLogLines} |`)].join("\n");
}
