import pino, { type DestinationStream, type Logger } from "pino";
import { activeSpanContext } from "./current-trace-id.js";

export type { Logger } from "pino";

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Logged as `name` on every line (the component or service). */
  name: string;
  /** Minimum pino level. @default "info" */
  level?: string;
  /** Standard stream to write to. @default "stderr" (stdout stays free for CLI output) */
  destination?: "stdout" | "stderr";
  /** Writes here instead of `destination`; for tests that read what was logged. */
  stream?: DestinationStream;
}

/**
 * Field paths whose values are replaced by `[redacted]`: credentials must
 * never reach logs. Covers top level and up to two levels of nesting, as in
 * `{ req: { headers: { authorization } } }`.
 */
export const REDACTED_PATHS: readonly string[] = ["authorization", "Authorization", "apiKey", "api_key", "password"].flatMap(
  (key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`],
);

/**
 * A JSON pino logger: ISO timestamps, level names, secrets redacted
 * (`REDACTED_PATHS`), and `trace_id`/`span_id` of the active span on every
 * line so logs join traces. Writes synchronously to stderr by default.
 */
export function createLogger(options: LoggerOptions): Logger {
  const stream = options.stream ?? standardStream(options.destination === "stdout" ? 1 : 2);
  return pino(
    {
      name: options.name,
      level: options.level ?? "info",
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED_PATHS], censor: "[redacted]" },
      mixin() {
        const spanContext = activeSpanContext();
        return spanContext ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {};
      },
    },
    stream,
  );
}

const standardStreams = new Map<1 | 2, DestinationStream>();

/** One synchronous destination per standard stream, shared by every logger (lines never interleave mid-write). */
function standardStream(fd: 1 | 2): DestinationStream {
  let stream = standardStreams.get(fd);
  if (!stream) {
    stream = pino.destination({ dest: fd, sync: true });
    standardStreams.set(fd, stream);
  }
  return stream;
}
