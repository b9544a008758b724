import { create } from "@bufbuild/protobuf";
import { FanoutStreamResponseSchema, type FanoutResponse, type FanoutStreamResponse } from "@orchestrator/contracts";
import type { FanoutEvent, FanoutSummaryData } from "../fanout/fanout-types.js";
import { outcomeToProto, summaryToProto } from "./results-to-proto.js";

/** A finished fanout → FanoutResponse: every target's outcome in target order, and the summary with the call's trace id. */
export function fanoutResponseOf(summary: FanoutSummaryData, traceId: string): FanoutResponse {
  return { $typeName: "orchestrator.router.v1.FanoutResponse", results: summary.outcomes.map(outcomeToProto), summary: summaryToProto(summary, traceId) };
}

/** One fanout event → the FanoutStream message: a target's outcome, or the closing summary. */
export function fanoutStreamResponseOf(event: FanoutEvent, traceId: string): FanoutStreamResponse {
  return event.kind === "result"
    ? create(FanoutStreamResponseSchema, { event: { case: "result", value: outcomeToProto(event.outcome) } })
    : create(FanoutStreamResponseSchema, { event: { case: "summary", value: summaryToProto(event.summary, traceId) } });
}
