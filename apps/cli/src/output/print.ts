import Table from "cli-table3";

/** Writes one compact JSON document and a newline to stdout (for machines). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Writes a borderless, aligned table to stdout (for people). */
export function printTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  if (rows.length === 0) {
    process.stdout.write("(none)\n");
    return;
  }
  const table = new Table({
    head: [...head],
    style: { head: [], border: [], compact: true, "padding-left": 0, "padding-right": 2 },
    chars: {
      top: "", "top-mid": "", "top-left": "", "top-right": "", bottom: "", "bottom-mid": "", "bottom-left": "",
      "bottom-right": "", left: "", "left-mid": "", mid: "", "mid-mid": "", right: "", "right-mid": "", middle: "",
    },
  });
  for (const row of rows) table.push([...row]);
  process.stdout.write(`${table.toString()}\n`);
}

/** `HealthState.HEALTHY` → "healthy": the readable name of a generated enum value. */
export function enumLabel(enumObject: Record<number, string>, value: number): string {
  return (enumObject[value] ?? "unspecified").toLowerCase();
}

/** How long ago, readable: "3s ago", "5m ago". */
export function ago(date: Date | undefined, now = Date.now()): string {
  if (!date) return "-";
  const s = Math.max(0, Math.round((now - date.getTime()) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  return `${Math.round(s / 3600)}h ago`;
}
