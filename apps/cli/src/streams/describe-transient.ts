import { Code, ConnectError } from "@connectrpc/connect";

/** A short label for a transient failure on stderr: `UNAVAILABLE: the database is unavailable; retry later`. */
export function describeTransient(err: unknown): string {
  const e = ConnectError.from(err);
  return `${Code[e.code]?.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase() ?? e.code}: ${e.rawMessage.slice(0, 120)}`;
}
