/**
 * Commander's error text as one line: its suggestion, printed on a line of
 * its own (`(Did you mean fanout?)`), joins the error, and an unknown command
 * points to the help. `error: unknown command 'fanot' (did you mean fanout?); see orchestrator --help`.
 */
export function oneLineError(text: string): string {
  const lines = text.trim().split("\n").map((l) => l.trim()).filter((l) => l !== "");
  if (lines.length === 0) return "";
  const suggestion = lines.slice(1).map((l) => l.replace(/^\(Did you mean (.*)\?\)$/, "did you mean $1?"));
  const head = suggestion.length > 0 ? `${lines[0]} (${suggestion.join(" ")})` : lines[0]!;
  return `${head}${head.includes("unknown command") ? "; see orchestrator --help" : ""}\n`;
}
