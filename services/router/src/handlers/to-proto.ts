import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  AttemptSchema,
  FanoutSummarySchema,
  InstanceResultSchema,
  ResultStatus,
  SessionSchema,
  SessionState,
  type Attempt,
  type FanoutSummary,
  type InstanceResult,
  type Session,
} from "@orchestrator/contracts";
import type { FanoutSummaryData, TargetOutcome } from "../fanout/fanout-types.js";
import type { AttemptRecord } from "../routing/attempt.js";
import type { SessionRecord } from "../sessions/session-record.js";
import { msToDuration } from "./request-values.js";

const STATUS: Record<TargetOutcome["status"], ResultStatus> = {
  ok: ResultStatus.OK,
  error: ResultStatus.ERROR,
  timeout: ResultStatus.TIMEOUT,
  cancelled: ResultStatus.CANCELLED,
};

const STATE: Record<SessionRecord["state"], SessionState> = {
  open: SessionState.OPEN,
  closed: SessionState.CLOSED,
  expired: SessionState.EXPIRED,
};

/** An attempt as the wire reports it (latency as a Duration). */
export function attemptToProto(a: AttemptRecord): Attempt {
  return create(AttemptSchema, { number: a.number, instance: a.instance, code: a.code, message: a.message, latency: msToDuration(a.latencyMs) });
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

/** A session record → the wire Session (the token is never part of it). */
export function sessionToProto(s: SessionRecord): Session {
  return create(SessionSchema, {
    sessionId: s.id,
    instance: s.instance,
    pool: s.pool,
    state: STATE[s.state],
    lastSequence: s.lastSequence,
    metadata: { ...s.metadata },
    ttl: msToDuration(s.ttlMs),
    createdAt: timestampFromDate(s.createdAt),
    lastActivityAt: timestampFromDate(s.lastActivityAt),
    expiresAt: timestampFromDate(s.expiresAt),
    ...(s.closedAt ? { closedAt: timestampFromDate(s.closedAt) } : {}),
    instances: [...s.selectors],
    failovers: s.failovers,
  });
}
