import ms from "ms";

/**
 * Parses a duration option into milliseconds: `10s`, `500ms`, `2m`, `1h`,
 * or a bare number, which means seconds (`--timeout 10` is ten seconds, as
 * the openclaw skill has it; `--timeout 0.5` half a second). Sign and range
 * are the server's to judge (a negative timeout is rejected there, naming
 * the field); text that is no duration at all fails here, naming the option.
 */
export function parseDurationOption(text: string, option: string): number {
  const trimmed = text.trim();
  const value = /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : ms(trimmed as ms.StringValue);
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`${option}: "${text}" is not a duration; use e.g. 10 (seconds), 10s, 500ms, 2m`);
  return value;
}

/** Milliseconds → google.protobuf.Duration init (seconds and nanos share the sign). */
export function durationInit(milliseconds: number): { seconds: bigint; nanos: number } {
  const seconds = Math.trunc(milliseconds / 1000);
  return { seconds: BigInt(seconds), nanos: Math.round((milliseconds - seconds * 1000) * 1e6) };
}
