import type { Duration } from "@bufbuild/protobuf/wkt";

/** A Duration as people read latencies: `0.84 ms`, `12 ms`, `1.20 s`. */
export function formatLatency(d: Duration | undefined): string {
  if (!d) return "-";
  const milliseconds = Number(d.seconds) * 1000 + d.nanos / 1e6;
  if (milliseconds < 10) return `${milliseconds.toFixed(2)} ms`;
  if (milliseconds < 1000) return `${milliseconds.toFixed(0)} ms`;
  return `${(milliseconds / 1000).toFixed(2)} s`;
}
