import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { rpcStatus } from "@orchestrator/contracts";
import { createKeyCheck } from "./create-key-check.js";

/** Services callable without a key: probes and load balancers carry no secrets. */
const PUBLIC_SERVICES: ReadonlySet<string> = new Set(["grpc.health.v1.Health"]);

function unauthenticated(message: string, reason: string): ConnectError {
  const info = create(rpcStatus.ErrorInfoSchema, { reason, domain: "orchestrator" });
  return new ConnectError(message, Code.Unauthenticated, undefined, [{ desc: rpcStatus.ErrorInfoSchema, value: info }]);
}

/**
 * Server interceptor requiring `Authorization: Bearer <key>` on every RPC
 * except grpc.health.v1.Health. Any of `apiKeys` is accepted, so keys can be
 * rotated without downtime; no keys turns auth off (loopback only, see
 * startServer). Keys are compared as SHA-256 digests with
 * `crypto.timingSafeEqual` against every key, so timing reveals neither a
 * key's length nor which key matched (see createKeyCheck). Keys are never
 * logged or echoed.
 * Failures are UNAUTHENTICATED with reason `missing_api_key` or
 * `invalid_api_key`.
 */
export function createAuthInterceptor(apiKeys: readonly string[]): Interceptor {
  const check = createKeyCheck(apiKeys);
  const authOff = apiKeys.length === 0;
  // Not async: a trivial call should not pay for a promise per interceptor.
  return (next) => (req) => {
    if (authOff || PUBLIC_SERVICES.has(req.service.typeName)) {
      return next(req);
    }
    const result = check(req.header.get("authorization") ?? undefined);
    if (!result.ok) {
      return Promise.reject(unauthenticated(result.message, result.reason));
    }
    return next(req);
  };
}
