import type { RouteResponse } from "@orchestrator/contracts";
import type { RouteResult } from "../route/route.service.js";
import { attemptToProto } from "./results-to-proto.js";

/**
 * A routed call's outcome → RouteResponse, with the call's trace id ("" when
 * none). Built as the plain object a protobuf-es message is (every field
 * set), not through `create`, which walks the schema on every call.
 */
export function routeResponseOf(result: RouteResult, traceId: string): RouteResponse {
  const response: RouteResponse = {
    $typeName: "orchestrator.router.v1.RouteResponse",
    instance: result.instance,
    attempts: result.attempts.map(attemptToProto),
    traceId,
    workId: result.workId,
  };
  if (result.result) response.result = result.result;
  return response;
}
