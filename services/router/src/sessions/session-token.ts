import { createHash, randomBytes } from "node:crypto";

/** Prefix of session tokens, so they are recognisable in logs and secret scanners. */
const PREFIX = "ost_";

/** A new session token: 192 random bits, base64url, prefixed `ost_`. */
export function newSessionToken(): string {
  return `${PREFIX}${randomBytes(24).toString("base64url")}`;
}

/** What is stored of a token: its sha256, hex. Tokens are high-entropy, so no salt is needed. */
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
