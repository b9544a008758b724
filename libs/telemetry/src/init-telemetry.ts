import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { currentRegistration, registerTracing } from "./tracing-registration.js";

/** What a process tells telemetry about itself; parsed from the environment by the caller. */
export interface TelemetryConfig {
  /** Resource attribute `service.name`. */
  serviceName: string;
  /** Resource attribute `service.version`. */
  serviceVersion: string;
  /**
   * OTLP/HTTP base URL (e.g. `http://collector:4318`); traces are posted to
   * `${otlpEndpoint}/v1/traces`. When absent, spans are still created (trace
   * ids, propagation and log correlation work) but not exported.
   */
  otlpEndpoint?: string;
}

/** The handle `initTelemetry` returns. */
export interface Telemetry {
  /** Exports the spans still buffered, then stops the provider and clears the API globals. Idempotent. */
  shutdown(): Promise<void>;
}

let telemetry: Telemetry | undefined;

/**
 * Registers the global tracer provider once: AsyncLocalStorage context
 * manager, W3C trace-context propagator, resource with
 * service.name/service.version; BatchSpanProcessor + OTLP/HTTP (JSON)
 * exporter when `otlpEndpoint` is set.
 *
 * Idempotent: later calls return the first handle and ignore their config.
 * When a test has already called `startInMemoryTracing`, the returned handle
 * only flushes, so the test keeps its spans and owns the teardown. After
 * `shutdown()` a new call registers afresh.
 */
export function initTelemetry(config: TelemetryConfig): Telemetry {
  const existing = currentRegistration();
  if (existing?.owner === "memory") {
    return { shutdown: () => existing.provider.forceFlush() };
  }
  if (existing && telemetry) return telemetry;
  const processors = config.otlpEndpoint
    ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(config.otlpEndpoint) }))]
    : [];
  const registration = registerTracing("init", config, processors);
  const handle: Telemetry = {
    async shutdown() {
      await registration.unregister();
      if (telemetry === handle) telemetry = undefined;
    },
  };
  telemetry = handle;
  return handle;
}

/** `${endpoint}/v1/traces`, tolerating a trailing slash on the endpoint. */
export function tracesUrl(otlpEndpoint: string): string {
  return `${otlpEndpoint.replace(/\/+$/, "")}/v1/traces`;
}
