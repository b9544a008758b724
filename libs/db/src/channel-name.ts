import { quoteIdentifier } from "./traced-dialect.js";

/**
 * Checks a NOTIFY channel name and returns it quoted for LISTEN/UNLISTEN.
 * Channels are case-sensitive identifiers of 1 to 63 bytes (Postgres
 * truncates longer identifiers, which would silently split LISTEN from
 * pg_notify); double quotes and NUL are refused.
 */
export function quoteChannel(channel: string): string {
  const bytes = Buffer.byteLength(channel, "utf8");
  if (bytes === 0 || bytes > 63 || /["\0]/.test(channel)) {
    throw new RangeError(`invalid NOTIFY channel name ${JSON.stringify(channel)}: 1-63 bytes, no double quote or NUL`);
  }
  return quoteIdentifier(channel);
}
