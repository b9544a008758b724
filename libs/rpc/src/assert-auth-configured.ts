import { isLoopbackHost } from "./is-loopback-host.js";

/**
 * Refuses a server setup that would expose every RPC: a host beyond loopback
 * without an API key, or an empty key. Called by startServer, and by
 * composition roots before they open databases, so a misconfigured process
 * fails at once with the variable to set.
 */
export function assertAuthConfigured(host: string, apiKeys: readonly string[]): void {
  if (apiKeys.some((key) => key.trim() === "")) {
    throw new Error("an API key is empty: set ORCHESTRATOR_API_KEY to non-empty keys");
  }
  if (apiKeys.length === 0 && !isLoopbackHost(host)) {
    throw new Error(
      `refusing to listen on ${host} without an API key: anyone who can reach it could call every RPC. ` +
        `Set ORCHESTRATOR_API_KEY (several keys may be given, for rotation) or listen on 127.0.0.1.`,
    );
  }
}
