import { createHash, timingSafeEqual } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { rpcStatus } from "@orchestrator/contracts";

/** Services callable without a key: probes and load balancers carry no secrets. */
const PUBLIC_SERVICES: ReadonlySet<string> = new Set(["grpc.health.v1.Health"]);

const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest();

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
 * key's length nor which key matched. Keys are never logged or echoed.
 * Failures are UNAUTHENTICATED with reason `missing_api_key` or
 * `invalid_api_key`.
 */
export function createAuthInterceptor(apiKeys: readonly string[]): Interceptor {
  const digests = apiKeys.map(sha256);
  return (next) => async (req) => {
    if (digests.length === 0 || PUBLIC_SERVICES.has(req.service.typeName)) {
      return next(req);
    }
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.header.get("authorization") ?? "");
    if (!match?.[1]) {
      throw unauthenticated("missing Authorization: Bearer <key> header", "missing_api_key");
    }
    const given = sha256(match[1]);
    let ok = false;
    for (const digest of digests) {
      ok = timingSafeEqual(given, digest) || ok;
    }
    if (!ok) {
      throw unauthenticated("invalid API key", "invalid_api_key");
    }
    return next(req);
  };
}
