/** OpenTelemetry tracer provider, OTLP export, and the pino logger. */
export { initTelemetry, type Telemetry, type TelemetryConfig } from "./init-telemetry.js";
export { startInMemoryTracing, type InMemoryTracing, type InMemoryTracingOptions } from "./start-in-memory-tracing.js";
export { createLogger, REDACTED_PATHS, type Logger, type LoggerOptions } from "./create-logger.js";
export { currentTraceId } from "./current-trace-id.js";
export { withRootSpan } from "./with-root-span.js";
