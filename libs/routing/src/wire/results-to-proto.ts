import type { Duration } from "@bufbuild/protobuf/wkt";
import {
  ResultStatus,
  type Attempt,
  type FanoutSummary,
  type InstanceResult,
} from "@orchestrator/contracts";
import type { AttemptRecord } from "../delivery/attempt.js";
import type { FanoutSummaryData, TargetOutcome } from "../fanout/fanout-types.js";
import { msToDuration } from "./request-values.js";

const STATUS: Record<TargetOutcome["status"], ResultStatus> = {
  ok: ResultStatus.OK,
  error: ResultStatus.ERROR,
  timeout: ResultStatus.TIMEOUT,
  cancelled: ResultStatus.CANCELLED,
};

/** An attempt as the wire reports it (latency as a Duration); a plain message object, as `create` would make it. */
export function attemptToProto(a: AttemptRecord): Attempt {
  return { $typeName: "orchestrator.router.v1.Attempt", number: a.number, instance: a.instance, code: a.code, message: a.message, latency: duration(a.latencyMs) };
}

/** A latency as a google.protobuf.Duration message. */
function duration(ms: number): Duration {
  const { seconds, nanos } = msToDuration(ms);
  return { $typeName: "google.protobuf.Duration", seconds, nanos };
}

/** One fanout target's outcome → InstanceResult (a plain message object, as `create` would make it). */
export function outcomeToProto(o: TargetOutcome): InstanceResult {
  const result: InstanceResult = {
    $typeName: "orchestrator.router.v1.InstanceResult",
    instance: o.instance,
    status: STATUS[o.status],
    code: o.code,
    message: o.message,
    reason: o.reason,
    latency: duration(o.latencyMs),
    attempts: o.attempts.map(attemptToProto),
  };
  if (o.result) result.result = o.result;
  return result;
}

/** The fanout aggregate → FanoutSummary, with the call's trace id (a plain message object). */
export function summaryToProto(s: FanoutSummaryData, traceId: string): FanoutSummary {
  const summary: FanoutSummary = {
    $typeName: "orchestrator.router.v1.FanoutSummary",
    aggregate: s.aggregate,
    satisfied: s.satisfied,
    timedOut: s.timedOut,
    succeeded: s.succeeded,
    failed: s.failed,
    traceId,
    workId: s.workId,
    winner: s.winner,
  };
  if (s.result) summary.result = s.result;
  return summary;
}
