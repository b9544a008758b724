/** Extra client deadline beyond a server-side timeout, so the server answers its own (partial) result first. */
const MARGIN_MS = 5000;

/**
 * The client deadline of a call that carries its own server-side timeout:
 * at least the global `--timeout-ms`, and longer than the requested timeout.
 */
export function callTimeoutMs(globalTimeoutMs: number, requestedMs: number | undefined): number {
  return requestedMs === undefined || requestedMs <= 0 ? globalTimeoutMs : Math.max(globalTimeoutMs, requestedMs + MARGIN_MS);
}
