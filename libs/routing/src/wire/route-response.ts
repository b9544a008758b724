import { create } from "@bufbuild/protobuf";
import { RouteResponseSchema, type RouteResponse } from "@orchestrator/contracts";
import type { RouteResult } from "../route/route.service.js";
import { attemptToProto } from "./results-to-proto.js";

/** A routed call's outcome → RouteResponse, with the call's trace id ("" when none). */
export function routeResponseOf(result: RouteResult, traceId: string): RouteResponse {
  return create(RouteResponseSchema, {
    ...(result.result ? { result: result.result } : {}),
    instance: result.instance,
    attempts: result.attempts.map(attemptToProto),
    traceId,
    workId: result.workId,
  });
}
