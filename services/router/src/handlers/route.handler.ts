import type { HandlerContext } from "@connectrpc/connect";
import type { RouteRequest, RouteResponse } from "@orchestrator/contracts";
import { routeInputOf, routeResponseOf, type RouteResult, type RouteService } from "@orchestrator/routing";
import { currentTraceId } from "@orchestrator/telemetry";

/** RouterService/Route: request → RouteService → response with attempts and trace id (a promise chained, not awaited: one promise less per call). */
export function handleRoute(service: RouteService, req: RouteRequest, ctx: HandlerContext): Promise<RouteResponse> {
  let routed: Promise<RouteResult>;
  try {
    routed = service.route(routeInputOf(req), ctx.signal, ctx.timeoutMs());
  } catch (error) {
    return Promise.reject(error);
  }
  return routed.then((result) => routeResponseOf(result, currentTraceId() ?? ""));
}
