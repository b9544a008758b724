import { create } from "@bufbuild/protobuf";
import {
  FanoutSummarySchema,
  InstanceResultSchema,
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
  const latency = msToDuration(a.latencyMs);
  return {
    $typeName: "orchestrator.router.v1.Attempt",
    number: a.number,
    instance: a.instance,
    code: a.code,
    message: a.message,
    latency: { $typeName: "google.protobuf.Duration", seconds: latency.seconds, nanos: latency.nanos },
  };
}

/** One fanout target's outcome → InstanceResult. */
export function outcomeToProto(o: TargetOutcome): InstanceResult {
  return create(InstanceResultSchema, {
    instance: o.instance,
    status: STATUS[o.status],
    code: o.code,
    message: o.message,
    reason: o.reason,
    ...(o.result ? { result: o.result } : {}),
    latency: msToDuration(o.latencyMs),
    attempts: o.attempts.map(attemptToProto),
  });
}

/** The fanout aggregate → FanoutSummary, with the call's trace id. */
export function summaryToProto(s: FanoutSummaryData, traceId: string): FanoutSummary {
  return create(FanoutSummarySchema, {
    aggregate: s.aggregate,
    ...(s.result ? { result: s.result } : {}),
    satisfied: s.satisfied,
    timedOut: s.timedOut,
    succeeded: s.succeeded,
    failed: s.failed,
    traceId,
    workId: s.workId,
    winner: s.winner,
  });
}
