import type { HandlerContext } from "@connectrpc/connect";
import type { RouteRequest, RouteResponse } from "@orchestrator/contracts";
import { routeInputOf, routeResponseOf, type RouteService } from "@orchestrator/routing";
import { currentTraceId } from "@orchestrator/telemetry";

/** RouterService/Route: request → RouteService → response with attempts and trace id. */
export async function handleRoute(service: RouteService, req: RouteRequest, ctx: HandlerContext): Promise<RouteResponse> {
  const result = await service.route(routeInputOf(req), ctx.signal, ctx.timeoutMs());
  return routeResponseOf(result, currentTraceId() ?? "");
}
