import type { ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { createAuthInterceptor } from "./create-auth-interceptor.js";
import { createCleartextServer } from "./create-cleartext-server.js";
import { createGrpcStreamHandler } from "./create-grpc-stream-handler.js";
import { createErrorInterceptor } from "./create-error-interceptor.js";
import { createHealthModule } from "./create-health-module.js";
import { withJsonRequestCheck } from "./create-json-request-check.js";
import { createReflectionModule } from "./create-reflection-module.js";
import { createServerTracingInterceptor } from "./create-server-tracing-interceptor.js";
import { createShutdownInterceptor } from "./create-shutdown-interceptor.js";
import { HealthStatusRegistry } from "./health-status-registry.js";
import { recordMethods, type MethodSpecs } from "./record-methods.js";
import { assertAuthConfigured } from "./assert-auth-configured.js";
import type { RunningServer } from "./running-server.js";
import type { ServerOptions } from "./server-options.js";
import { createTranscoder } from "./transcoding/create-transcoder.js";

const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
const DEFAULT_READ_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The one bootstrap every service uses. Serves gRPC, gRPC-Web and Connect on
 * one cleartext port (HTTP/2 and HTTP/1.1), with grpc.health.v1 (auth-free)
 * and server reflection (v1 and v1alpha) next to the modules' services.
 * Interceptors, outermost first: tracing, error mapping, API-key auth,
 * shutdown signal for streams, protovalidate validation.
 *
 * REST callers reach the RPCs that declare `google.api.http` bindings on the
 * same port (see createTranscoder), before `httpHandlers` and the router.
 *
 * Which code carries which wire: unary, server-streaming and bidi gRPC calls
 * run on Node's http2 core stream API (createGrpcStreamHandler, the cheap
 * path every delegation and every pushed task takes); everything else on the
 * port (Connect and gRPC-Web on HTTP/1.1 and HTTP/2, client-streaming gRPC,
 * compressed gRPC requests, `httpHandlers`) goes through connect-node. Both
 * run the same handler functions with the same interceptors.
 *
 * Every module's services (and the overall `""`) are NOT_SERVING until the
 * port listens and every module's start() resolved, then SERVING. Rejects,
 * without listening, when the host is not loopback and no API key is set,
 * or when an API key is empty; if a module fails to start, the server is
 * closed and the error rethrown.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { host, apiKeys, modules, logger } = options;
  assertAuthConfigured(host, apiKeys);

  const health = new HealthStatusRegistry();
  const serviceNames = ["", ...new Set(modules.flatMap((m) => m.serviceNames))];
  for (const name of serviceNames) {
    health.setStatus(name, "NOT_SERVING");
  }

  // Loaded on first use: protovalidate is heavy, and clients (the CLI) never need it.
  const { createValidationInterceptor } = await import("./create-validation-interceptor.js");
  const shutdown = new AbortController();
  const readMaxBytes = options.readMaxBytes ?? DEFAULT_READ_MAX_BYTES;
  const builtIn = [createHealthModule(health), createReflectionModule(options.reflectionFiles)];
  let rpcRouter: ConnectRouter | undefined;
  const interceptors = [
    createServerTracingInterceptor(),
    createErrorInterceptor(logger),
    createAuthInterceptor(apiKeys),
    createShutdownInterceptor(shutdown.signal),
    createValidationInterceptor(),
  ];
  const specs: MethodSpecs = new Map();
  const handler = connectNodeAdapter({
    routes: (router) => {
      const recording = recordMethods(router, specs);
      for (const module of [...builtIn, ...modules]) {
        module.register(recording);
      }
      router.handlers.forEach((h, i) => (router.handlers[i] = withJsonRequestCheck(h, readMaxBytes)));
      rpcRouter = router;
    },
    // Protobuf JSON's default: a misspelt field is an error, not silently dropped.
    jsonOptions: { ignoreUnknownFields: false },
    interceptors,
    readMaxBytes,
  });
  const grpcStreams = createGrpcStreamHandler({ specs, interceptors, readMaxBytes });
  // REST: the google.api.http bindings of the registered services, through the same handlers and interceptors.
  const transcoder = createTranscoder({ handlers: rpcRouter!.handlers, readMaxBytes, logger });
  const httpHandlers = [transcoder, ...(options.httpHandlers ?? [])];
  const http = createCleartextServer(
    (req, res) => {
      for (const h of httpHandlers) {
        if (h(req, res)) {
          return;
        }
      }
      handler(req, res);
    },
    grpcStreams,
  );
  const port = await http.listen(host, options.port);
  const address = `${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`;
  options.onListening?.(address);

  let closing: Promise<void> | undefined;
  const started: typeof modules[number][] = [];

  async function shutDown(): Promise<void> {
    const errors: unknown[] = [];
    const attempt = async (step: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (err) {
        logger.error({ err, step }, "shutdown step failed");
        errors.push(err);
      }
    };
    logger.info({ address }, "rpc server shutting down");
    health.setAll("NOT_SERVING");
    for (const module of [...started].reverse()) {
      if (module.stop) {
        await attempt("module stop", () => module.stop!());
      }
    }
    shutdown.abort();
    await http.close(options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS);
    for (const hook of options.onClose ?? []) {
      await attempt("onClose", hook);
    }
    logger.info({ address }, "rpc server closed");
    if (errors.length > 0) {
      throw new AggregateError(errors, "rpc server shutdown had errors");
    }
  }

  const server: RunningServer = {
    host,
    port,
    address,
    health,
    close: () => (closing ??= shutDown()),
  };

  try {
    for (const module of modules) {
      await module.start?.();
      started.push(module);
    }
  } catch (err) {
    await server.close().catch(() => {});
    throw err;
  }
  for (const name of serviceNames) {
    health.setStatus(name, "SERVING");
  }
  logger.info({ address, auth: apiKeys.length > 0 }, "rpc server listening");
  return server;
}
