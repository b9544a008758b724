import ms from "ms";

/**
 * Parses a duration from a config file with `ms` (the CLI's parser too):
 * `500ms`, `30s`, `10m`, `1.5h`, `1d`, or a plain number of milliseconds
 * (`0`). Undefined for anything else, negative values included, so the
 * caller can name the bad field.
 */
export function parseDuration(value: string | number): number | undefined {
  const parsed = typeof value === "number" ? value : /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : ms(value.trim() as ms.StringValue);
  return typeof parsed === "number" && Number.isFinite(parsed) && parsed >= 0 ? Math.round(parsed) : undefined;
}
