import { create } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { RouteResponseSchema, type RouteRequest, type RouteResponse } from "@orchestrator/contracts";
import { currentTraceId } from "@orchestrator/telemetry";
import type { RouteService } from "../routing/route.service.js";
import { durationMs, checkJsonValue } from "./request-values.js";
import { attemptToProto } from "./to-proto.js";

/** RouterService/Route: request → RouteService → response with attempts and trace id. */
export async function handleRoute(service: RouteService, req: RouteRequest, ctx: HandlerContext): Promise<RouteResponse> {
  const result = await service.route(
    {
      instances: req.instances,
      payload: checkJsonValue(req.payload, "payload"),
      key: req.key,
      ...(req.maxAttempts ? { maxAttempts: req.maxAttempts } : {}),
      ...(req.attemptTimeout ? { attemptTimeoutMs: durationMs(req.attemptTimeout) } : {}),
      ...(req.timeout ? { timeoutMs: durationMs(req.timeout) } : {}),
      fallback: req.fallback === "none" ? "none" : "pool",
      ...(req.workId ? { workId: req.workId } : {}),
      metadata: req.metadata,
    },
    ctx.signal,
    ctx.timeoutMs(),
  );
  return create(RouteResponseSchema, {
    ...(result.result ? { result: result.result } : {}),
    instance: result.instance,
    attempts: result.attempts.map(attemptToProto),
    traceId: currentTraceId() ?? "",
    workId: result.workId,
  });
}
