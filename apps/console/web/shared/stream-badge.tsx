import type { StreamStatus } from "../rpc/use-stream";

/**
 * Tells whether a view is live (pushed by the server), reconnecting, or ended.
 * A Connect server stream sends its headers with its first message, so a
 * stream with nothing to say yet shows "listening…" (the call is open, no
 * error came back).
 */
export function StreamBadge({ status, label = "live" }: { status: StreamStatus; label?: string }) {
  const text =
    status.state === "live" ? label : status.state === "connecting" ? "listening…" : status.state === "ended" ? "final" : status.retrying ? `reconnecting: ${status.message}` : status.message;
  return <span className={`stream-badge stream-${status.state}`} title={status.state === "error" ? status.message : undefined}>{text}</span>;
}
