import { createHash } from "node:crypto";
import type { Interceptor, Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import type { ClientOptions } from "./client-options.js";
import { createBearerAuthInterceptor } from "./create-bearer-auth-interceptor.js";
import { createClientTracingInterceptor } from "./create-client-tracing-interceptor.js";
import { createRetryInterceptor } from "./create-retry-interceptor.js";
import { createGrpcJsTransport } from "./create-grpc-js-transport.js";
import { releaseChannel } from "./grpc-channel-pool.js";

const DEFAULT_TIMEOUT_MS = 30_000;

/** Transports by protocol, base URL, timeout and key digest: HTTP/2 connections are shared. */
const cache = new Map<string, Transport>();

/** "host:port" → "http://host:port"; URLs are kept, without a trailing slash. */
export function toBaseUrl(address: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `http://${address}`;
  return url.replace(/\/+$/, "");
}

/**
 * A Connect transport to `options.address`: gRPC over HTTP/2 by default,
 * Connect over HTTP/1.1 for "connect", gRPC-Web over HTTP/1.1 for
 * "grpc-web". Every call gets a CLIENT span with W3C trace context injected,
 * the bearer key when `apiKey` is set, and the default deadline
 * (`timeoutMs`, 30 s) unless it sets its own; idempotent unary calls
 * answered UNAVAILABLE are retried with backoff (createRetryInterceptor). Transports are reused for equal
 * options, so callers may create clients per call and still share one HTTP/2
 * connection per server.
 *
 * gRPC goes through @grpc/grpc-js (createGrpcJsTransport: the cheapest
 * client measured in bench/rpc, one pooled channel per address that
 * releaseTransport() closes), or connect-node when `grpcClient` says so;
 * Connect and gRPC-Web through connect-node.
 */
export function createTransport(options: ClientOptions): Transport {
  const protocol = options.protocol ?? "grpc";
  const baseUrl = toBaseUrl(options.address);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const keyDigest = options.apiKey ? createHash("sha256").update(options.apiKey).digest("hex") : "";
  const cacheKey = [protocol, baseUrl, timeoutMs, keyDigest, options.grpcClient ?? ""].join(" ");
  const cached = cache.get(cacheKey);
  if (cached) {
    return cached;
  }
  // Outermost: each retried attempt is a span of its own.
  const interceptors: Interceptor[] = [createRetryInterceptor(), createClientTracingInterceptor(protocol === "connect" ? "connect_rpc" : "grpc")];
  if (options.apiKey) {
    interceptors.push(createBearerAuthInterceptor(options.apiKey));
  }
  const common = { baseUrl, interceptors, ...(timeoutMs > 0 ? { defaultTimeoutMs: timeoutMs } : {}) };
  let transport: Transport;
  switch (protocol) {
    case "grpc":
      transport = options.grpcClient !== "connect-node" && new URL(baseUrl).pathname.length <= 1 ? createGrpcJsTransport(common) : createGrpcTransport(common);
      break;
    case "connect":
      transport = createConnectTransport({ ...common, httpVersion: "1.1" });
      break;
    case "grpc-web":
      transport = createGrpcWebTransport({ ...common, httpVersion: "1.1" });
      break;
  }
  cache.set(cacheKey, transport);
  return transport;
}

/**
 * Releases what clients of `address` hold: closes its pooled gRPC channel
 * (connection, reconnect timers) and drops its cached transports. For an
 * instance that went away; a later client of the address starts afresh.
 */
export function releaseTransport(address: string): void {
  const baseUrl = toBaseUrl(address);
  releaseChannel(baseUrl);
  for (const key of cache.keys()) {
    if (key.split(" ")[1] === baseUrl) {
      cache.delete(key);
    }
  }
}
