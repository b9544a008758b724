import type { RouteRequest } from "@orchestrator/contracts";
import type { RouteInput } from "../route/route.service.js";
import { checkJsonValue, durationMs } from "./request-values.js";

/**
 * A Route request → the RouteService's input: the payload checked as JSON
 * (JSON null when absent), durations in milliseconds, unset numbers left to
 * the configured defaults, `fallback` "none" or else "pool".
 */
export function routeInputOf(req: RouteRequest): RouteInput {
  return {
    instances: req.instances,
    payload: checkJsonValue(req.payload, "payload"),
    key: req.key,
    ...(req.maxAttempts ? { maxAttempts: req.maxAttempts } : {}),
    ...(req.attemptTimeout ? { attemptTimeoutMs: durationMs(req.attemptTimeout) } : {}),
    ...(req.timeout ? { timeoutMs: durationMs(req.timeout) } : {}),
    fallback: req.fallback === "none" ? "none" : "pool",
    ...(req.workId ? { workId: req.workId } : {}),
    metadata: req.metadata,
  };
}
