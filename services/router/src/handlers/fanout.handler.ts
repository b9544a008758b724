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
import { InvalidArgumentError } from "@orchestrator/errors";
import { currentTraceId } from "@orchestrator/telemetry";
import type { FanoutService } from "../fanout/fanout.service.js";
import type { AggregateMode, FanoutInput } from "../fanout/fanout-types.js";
import { durationMs, checkJsonValue } from "./request-values.js";
import { outcomeToProto, summaryToProto } from "./to-proto.js";

const MODES: readonly string[] = ["all", "first", "quorum", "merge"];

/**
 * The aggregate mode: `aggregate` (JSON `aggregateMode`) when set, else the
 * JSON member `aggregate` (`aggregate_json`) as the seed's HTTP API sends it,
 * a mode name or a boolean (true and false both mean `all`: every target's
 * result is answered either way). Default `all`.
 */
function aggregateMode(req: FanoutRequest | FanoutStreamRequest): AggregateMode {
  if (req.aggregate) return req.aggregate as AggregateMode;
  const kind = req.aggregateJson?.kind;
  if (kind === undefined || kind.case === undefined || kind.case === "nullValue" || kind.case === "boolValue") return "all";
  if (kind.case === "stringValue" && (kind.value === "" || MODES.includes(kind.value))) return (kind.value || "all") as AggregateMode;
  throw new InvalidArgumentError("aggregate", `must be one of "all", "first", "quorum", "merge", or a boolean (true means "all")`);
}

/** The service's input from either request (they share fields and rules). */
function fanoutInput(req: FanoutRequest | FanoutStreamRequest): FanoutInput {
  const payloads = Object.fromEntries(Object.entries(req.payloads).map(([name, value]) => [name, checkJsonValue(value, `payloads[${JSON.stringify(name)}]`)]));
  return {
    targets: req.targets,
    payload: checkJsonValue(req.payload, "payload"),
    payloads,
    aggregate: aggregateMode(req),
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
