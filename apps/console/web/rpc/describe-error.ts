import { Code, ConnectError } from "@connectrpc/connect";

/** `INVALID_ARGUMENT`, `UNAUTHENTICATED`, ... as gRPC spells codes. */
export function codeName(code: Code): string {
  return (Code[code] ?? "UNKNOWN").replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

/** An error as a person should read it: the gRPC code, then the server's message. */
export function describeError(err: unknown): string {
  const e = ConnectError.from(err);
  return `${codeName(e.code)}: ${e.rawMessage}`;
}

/** True for the error a cancelled call (a closed view) ends with. */
export function isCanceled(err: unknown): boolean {
  return ConnectError.from(err).code === Code.Canceled;
}
