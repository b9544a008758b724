import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { LeanTracerProvider } from "./lean-tracer-provider.js";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";

/** Who registered the global tracer provider: `initTelemetry` or `startInMemoryTracing`. */
export type RegistrationOwner = "init" | "memory";

/** The one tracer provider this process has registered with `@opentelemetry/api`. */
export interface TracingRegistration {
  readonly owner: RegistrationOwner;
  /** The registered provider's flush (a no-op for the lean provider, which keeps nothing). */
  readonly provider: { forceFlush(): Promise<void> };
  /** Flushes, shuts the provider down and clears the API globals; idempotent. */
  unregister(): Promise<void>;
}

let current: TracingRegistration | undefined;

/** The registration in force, if any. */
export function currentRegistration(): TracingRegistration | undefined {
  return current;
}

/**
 * Registers a tracer provider as the API global: AsyncLocalStorage context
 * manager (context follows async/await), W3C trace-context propagator, and a
 * resource naming the service. With no span processor nothing would ever
 * read a recorded span, so the provider is then the LeanTracerProvider
 * (real trace ids and propagation, nothing recorded). The caller must check
 * `currentRegistration()` first: the API accepts one global provider per
 * process.
 */
export function registerTracing(
  owner: RegistrationOwner,
  service: { serviceName: string; serviceVersion: string },
  spanProcessors: SpanProcessor[],
): TracingRegistration {
  if (current) throw new Error(`a tracer provider is already registered (by ${current.owner})`);
  const provider = spanProcessors.length > 0 ? registerSdkProvider(service, spanProcessors) : registerLeanProvider();
  let done: Promise<void> | undefined;
  const registration: TracingRegistration = {
    owner,
    provider,
    unregister() {
      done ??= (async () => {
        try {
          await provider.shutdown();
        } finally {
          if (current === registration) current = undefined;
          trace.disable();
          propagation.disable();
          context.disable();
        }
      })();
      return done;
    },
  };
  current = registration;
  return registration;
}

function registerSdkProvider(service: { serviceName: string; serviceVersion: string }, spanProcessors: SpanProcessor[]): NodeTracerProvider {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: service.serviceName,
      [ATTR_SERVICE_VERSION]: service.serviceVersion,
    }),
    spanProcessors,
  });
  provider.register({
    contextManager: new AsyncLocalStorageContextManager(),
    propagator: new W3CTraceContextPropagator(),
  });
  return provider;
}

function registerLeanProvider(): { forceFlush(): Promise<void>; shutdown(): Promise<void> } {
  trace.setGlobalTracerProvider(new LeanTracerProvider());
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return { forceFlush: async () => {}, shutdown: async () => {} };
}
