import type { HandlerContext } from "@connectrpc/connect";
import type { FanoutRequest, FanoutResponse, FanoutStreamRequest, FanoutStreamResponse } from "@orchestrator/contracts";
import { fanoutInputOf, fanoutResponseOf, fanoutStreamResponseOf, type FanoutService } from "@orchestrator/routing";
import { currentTraceId } from "@orchestrator/telemetry";

/** RouterService/Fanout: runs the fanout to its end and answers every target's outcome (target order) and the summary. */
export async function handleFanout(service: FanoutService, req: FanoutRequest, ctx: HandlerContext): Promise<FanoutResponse> {
  const traceId = currentTraceId() ?? "";
  return fanoutResponseOf(await service.summarize(fanoutInputOf(req), ctx.signal, ctx.timeoutMs()), traceId);
}

/** RouterService/FanoutStream: each target's outcome as it arrives, then the summary. */
export async function* handleFanoutStream(service: FanoutService, req: FanoutStreamRequest, ctx: HandlerContext): AsyncGenerator<FanoutStreamResponse> {
  const traceId = currentTraceId() ?? "";
  for await (const event of service.run(fanoutInputOf(req), ctx.signal, ctx.timeoutMs())) yield fanoutStreamResponseOf(event, traceId);
}
