import { create } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import {
  FanoutResponseSchema,
  FanoutStreamResponseSchema,
  type FanoutRequest,
  type FanoutResponse,
  type FanoutStreamRequest,
  type FanoutStreamResponse,
} from "@orchestrator/contracts";
import { currentTraceId } from "@orchestrator/telemetry";
import type { FanoutService } from "../fanout/fanout.service.js";
import type { AggregateMode, FanoutInput } from "../fanout/fanout-types.js";
import { durationMs, checkJsonValue } from "./request-values.js";
import { outcomeToProto, summaryToProto } from "./to-proto.js";

/** The service's input from either request (they share fields and rules). */
function fanoutInput(req: FanoutRequest | FanoutStreamRequest): FanoutInput {
  const payloads = Object.fromEntries(Object.entries(req.payloads).map(([name, value]) => [name, checkJsonValue(value, `payloads[${JSON.stringify(name)}]`)]));
  return {
    targets: req.targets,
    payload: checkJsonValue(req.payload, "payload"),
    payloads,
    aggregate: (req.aggregate || "all") as AggregateMode,
    quorum: req.quorum,
    ...(req.timeout ? { timeoutMs: durationMs(req.timeout) } : {}),
    maxConcurrency: req.maxConcurrency,
    maxAttempts: req.maxAttempts || 1,
    ...(req.workId ? { workId: req.workId } : {}),
    metadata: req.metadata,
  };
}

/** RouterService/Fanout: runs the fanout to its end and answers every target's outcome (target order) and the summary. */
export async function handleFanout(service: FanoutService, req: FanoutRequest, ctx: HandlerContext): Promise<FanoutResponse> {
  const traceId = currentTraceId() ?? "";
  for await (const event of service.run(fanoutInput(req), ctx.signal, ctx.timeoutMs())) {
    if (event.kind === "summary") {
      return create(FanoutResponseSchema, { results: event.summary.outcomes.map(outcomeToProto), summary: summaryToProto(event.summary, traceId) });
    }
  }
  throw new Error("fanout ended without a summary");
}

/** RouterService/FanoutStream: each target's outcome as it arrives, then the summary. */
export async function* handleFanoutStream(service: FanoutService, req: FanoutStreamRequest, ctx: HandlerContext): AsyncGenerator<FanoutStreamResponse> {
  const traceId = currentTraceId() ?? "";
  for await (const event of service.run(fanoutInput(req), ctx.signal, ctx.timeoutMs())) {
    yield event.kind === "result"
      ? create(FanoutStreamResponseSchema, { event: { case: "result", value: outcomeToProto(event.outcome) } })
      : create(FanoutStreamResponseSchema, { event: { case: "summary", value: summaryToProto(event.summary, traceId) } });
  }
}
