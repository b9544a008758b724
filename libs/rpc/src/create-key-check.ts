import { createHash, timingSafeEqual } from "node:crypto";

/** What a key check concluded: the key given, or why there is none that counts. */
export type KeyCheckResult =
  | { readonly ok: true; /** The bearer key presented (empty when auth is off). */ readonly key: string }
  | { readonly ok: false; readonly reason: "missing_api_key" | "invalid_api_key"; readonly message: string };

const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * The one API-key check, for RPCs (createAuthInterceptor) and plain HTTP
 * handlers (`/mcp`, the console, REST) alike: takes an `Authorization`
 * header value and accepts `Bearer <key>` for any of `apiKeys` (several, for
 * rotation); no keys turns auth off. Keys are compared as SHA-256 digests
 * with `crypto.timingSafeEqual` against every key, so timing reveals neither
 * a key's length nor which key matched. Keys are never logged or echoed.
 */
export function createKeyCheck(apiKeys: readonly string[]): (authorization: string | undefined) => KeyCheckResult {
  const digests = apiKeys.map(sha256);
  return (authorization) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
    if (digests.length === 0) return { ok: true, key: match?.[1] ?? "" };
    if (!match?.[1]) return { ok: false, reason: "missing_api_key", message: "missing Authorization: Bearer <key> header" };
    const given = sha256(match[1]);
    let ok = false;
    for (const digest of digests) {
      ok = timingSafeEqual(given, digest) || ok;
    }
    return ok ? { ok: true, key: match[1] } : { ok: false, reason: "invalid_api_key", message: "invalid API key" };
  };
}
