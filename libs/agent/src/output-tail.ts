/** Limits of outputTail. */
export interface TailLimits {
  /** @default 40 */
  readonly maxLines?: number;
  /** UTF-8 bytes. @default 8192 */
  readonly maxBytes?: number;
}

/**
 * The end of a run's output, small enough for a message: the last
 * `maxLines` lines, then cut to the last `maxBytes` bytes (at a line
 * boundary when one is near, never inside a character). Trailing blank
 * lines do not count.
 */
export function outputTail(lines: readonly string[], limits: TailLimits = {}): string {
  const maxLines = limits.maxLines ?? 40;
  const maxBytes = limits.maxBytes ?? 8192;
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === "") end--;
  const text = lines.slice(Math.max(0, end - maxLines), end).join("\n");
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  let cut = bytes.subarray(bytes.length - maxBytes).toString("utf8").replace(/^\uFFFD+/, "");
  const newline = cut.indexOf("\n");
  if (newline >= 0 && newline < cut.length / 4) cut = cut.slice(newline + 1);
  return cut;
}
