import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { Activity, HealthState } from "@orchestrator/contracts";

/** `healthy`, `down`, ... as the CLI prints them. */
export function healthName(h: HealthState): string {
  return (HealthState[h] ?? "UNKNOWN").toLowerCase();
}

/** `idle`, `running`, ... (empty when unspecified). */
export function activityName(a: Activity): string {
  return a === Activity.UNSPECIFIED ? "" : (Activity[a] ?? "").toLowerCase();
}

/** Local time of a timestamp, or an empty string. */
export function timeOf(ts: Timestamp | undefined): string {
  return ts ? timestampDate(ts).toLocaleTimeString() : "";
}

/** Date and time of a timestamp, or an empty string. */
export function dateTimeOf(ts: Timestamp | undefined): string {
  return ts ? timestampDate(ts).toLocaleString() : "";
}

/** A span of time as `1h 2m`, `3m 4s`, `5s`. */
export function span(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h ${m % 60}m` : `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Milliseconds since the epoch of a timestamp (0 when unset). */
export function msOf(ts: Timestamp | undefined): number {
  return ts ? timestampDate(ts).getTime() : 0;
}
