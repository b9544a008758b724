/**
 * The RPC bootstrap every service uses: one cleartext port for gRPC, gRPC-Web
 * and Connect; grpc.health.v1 and server reflection on every server; API-key
 * auth, protovalidate validation, domain error mapping and OpenTelemetry
 * tracing as interceptors; graceful shutdown; and the matching clients.
 */
export type { ServiceModule } from "./service-module.js";
export type { ServerOptions } from "./server-options.js";
export type { HttpHandler } from "./http-handler.js";
export type { RunningServer } from "./running-server.js";
export { startServer } from "./start-server.js";
export { installSignalHandlers, type SignalHandlerOptions } from "./install-signal-handlers.js";
export { HealthStatusRegistry, type ServingStatus } from "./health-status-registry.js";
export { createHealthModule } from "./create-health-module.js";
export { createReflectionModule } from "./create-reflection-module.js";
export { createReflectionIndex, type ReflectionIndex } from "./create-reflection-index.js";
export { createCleartextServer, type CleartextServer } from "./create-cleartext-server.js";
export { createAuthInterceptor } from "./create-auth-interceptor.js";
export { createKeyCheck, type KeyCheckResult } from "./create-key-check.js";
export { createErrorInterceptor } from "./create-error-interceptor.js";
export { toConnectError, ERROR_DOMAIN } from "./to-connect-error.js";
export { createShutdownInterceptor } from "./create-shutdown-interceptor.js";
export { createServerTracingInterceptor, TRACE_ID_HEADER } from "./create-server-tracing-interceptor.js";
export { createClientTracingInterceptor } from "./create-client-tracing-interceptor.js";
export type { ClientOptions } from "./client-options.js";
export { createTransport, releaseTransport } from "./create-transport.js";
export { pooledChannels } from "./grpc-channel-pool.js";
export { createGrpcJsTransport, type GrpcJsTransportOptions } from "./create-grpc-js-transport.js";
export { preEncode } from "./pre-encode.js";
export { createServiceClient } from "./create-service-client.js";
export { createBearerAuthInterceptor } from "./create-bearer-auth-interceptor.js";
export { errorReason } from "./error-reason.js";
export { fieldViolations } from "./field-violations.js";
export { isLoopbackHost } from "./is-loopback-host.js";
export { CALLER_HEADER, callerOf } from "./caller-of.js";
export { assertAuthConfigured } from "./assert-auth-configured.js";
export type { HealthCall, HealthClient, InstanceLink, InstanceLinkOptions, InstanceLinkSettings } from "./instance-link.js";
export { startInstanceLink } from "./start-instance-link.js";
export { RepeatedFailureLog, describeFailure, type RepeatedFailureLogOptions } from "./repeated-failure-log.js";
export { boundConnectError, ERROR_LIMITS, truncate } from "./bound-connect-error.js";
export { createReadinessMonitor, type ReadinessMonitor, type ReadinessMonitorOptions } from "./create-readiness-monitor.js";
export { createTranscoder, OPENAPI_PATH, type TranscoderOptions } from "./transcoding/create-transcoder.js";
export { createOpenapiDocument } from "./transcoding/create-openapi-document.js";
export { httpBindings, type HttpBinding } from "./transcoding/http-bindings.js";
export type { RestErrorBody } from "./transcoding/rest-error.js";
export { createRetryInterceptor, type RetryOptions } from "./create-retry-interceptor.js";
