import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { currentRegistration, registerTracing } from "./tracing-registration.js";

/** In-memory tracing for tests; see `startInMemoryTracing`. */
export interface InMemoryTracing {
  readonly exporter: InMemorySpanExporter;
  /** Every span ended since the start or the last `reset()`, in end order. */
  spans(): ReadableSpan[];
  /** Forgets the spans collected so far. */
  reset(): void;
  /** Stops the provider and clears the API globals, so another registration may follow. Idempotent. */
  shutdown(): Promise<void>;
}

/** Resource the in-memory provider reports. */
export interface InMemoryTracingOptions {
  /** @default "test" */
  serviceName?: string;
  /** @default "0.0.0" */
  serviceVersion?: string;
}

let tracing: InMemoryTracing | undefined;

/**
 * For tests: registers the global tracer provider with a SimpleSpanProcessor
 * into an InMemorySpanExporter, so a span is readable as soon as it ends.
 * Same context manager and propagator as `initTelemetry`.
 *
 * Idempotent while active (later calls return the same handle and ignore
 * their options). Throws when `initTelemetry` registered first: start
 * in-memory tracing before the code under test initialises telemetry.
 */
export function startInMemoryTracing(options: InMemoryTracingOptions = {}): InMemoryTracing {
  const existing = currentRegistration();
  if (existing?.owner === "memory" && tracing) return tracing;
  if (existing) {
    throw new Error("initTelemetry already registered a tracer provider; call startInMemoryTracing before it");
  }
  const exporter = new InMemorySpanExporter();
  const registration = registerTracing(
    "memory",
    { serviceName: options.serviceName ?? "test", serviceVersion: options.serviceVersion ?? "0.0.0" },
    [new SimpleSpanProcessor(exporter)],
  );
  const handle: InMemoryTracing = {
    exporter,
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    async shutdown() {
      await registration.unregister();
      if (tracing === handle) tracing = undefined;
    },
  };
  tracing = handle;
  return handle;
}
