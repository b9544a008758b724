import type { RouterConfig } from "@orchestrator/config";

/**
 * What routing reads of the router's configuration: attempts, attempt and
 * call deadlines, retry backoff and outlier ejection. The router passes its
 * RouterConfig; the proxyless client starts from `defaultRouterConfig()`,
 * so both paths share one set of defaults.
 */
export type RoutingSettings = Pick<RouterConfig, "maxAttempts" | "attemptTimeoutMs" | "timeoutMs" | "backoffInitialMs" | "backoffMaxMs" | "outlier">;
