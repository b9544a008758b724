import { Code, ConnectError } from "@connectrpc/connect";

/** Connection-level failures the client library reports without UNAVAILABLE (a replica killed mid-stream). */
const CONNECTION_LOST = /ECONNRESET|ECONNREFUSED|EPIPE|socket hang up|RST_STREAM|NGHTTP2|stream closed|premature close|other side closed|GOAWAY/i;

/**
 * Whether a failed call is worth making again: UNAVAILABLE (the service or
 * its database is away for now) or a connection that dropped. Everything
 * else (a bad request, NOT_FOUND, a deadline the user set) is final.
 */
export function isTransient(err: unknown): boolean {
  const e = ConnectError.from(err);
  if (e.code === Code.Unavailable) return true;
  return (e.code === Code.Internal || e.code === Code.Unknown || e.code === Code.Aborted) && CONNECTION_LOST.test(e.rawMessage);
}
