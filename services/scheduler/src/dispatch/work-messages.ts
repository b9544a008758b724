import { create, isMessage } from "@bufbuild/protobuf";
import { ValueSchema, type Duration } from "@bufbuild/protobuf/wkt";
import { type ExecuteRequest, ExecuteRequestSchema, type WorkResponse } from "@orchestrator/contracts";
import type { Assignment } from "./worker-streams.js";

/**
 * The WorkResponse pushing `assignment`, as the plain message object
 * `create(WorkResponseSchema, …)` would make, every field set: the stream
 * sends it as it is instead of walking the schema for every assignment
 * (work-messages.test.ts checks both give the same bytes). A request that
 * is not the usual one (no payload message, a session history) goes
 * through create().
 */
export function assignmentMessage(assignment: Assignment): WorkResponse {
  const { id, timeoutMs, traceparent } = assignment;
  return {
    $typeName: "orchestrator.worker.v1.WorkResponse",
    kind: {
      case: "assignment",
      value: { $typeName: "orchestrator.worker.v1.WorkAssignment", id, request: executeRequest(assignment.request), timeout: duration(timeoutMs), traceparent: traceparent ?? "" },
    },
  };
}

/** The WorkResponse withdrawing assignment `id` (WorkCancel), as create() would make it. */
export function cancelMessage(id: string): WorkResponse {
  return { $typeName: "orchestrator.worker.v1.WorkResponse", kind: { case: "cancel", value: { $typeName: "orchestrator.worker.v1.WorkCancel", id } } };
}

function executeRequest(r: Assignment["request"]): ExecuteRequest {
  if (isMessage(r, ExecuteRequestSchema)) return r;
  if (!isMessage(r.payload, ValueSchema) || (r.history !== undefined && r.history.length > 0) || r.sequence !== undefined) return create(ExecuteRequestSchema, r);
  return {
    $typeName: "orchestrator.worker.v1.ExecuteRequest",
    workId: r.workId ?? "",
    payload: r.payload,
    attempt: r.attempt ?? 0,
    sessionId: r.sessionId ?? "",
    sequence: 0n,
    history: [],
    metadata: { ...r.metadata },
  };
}

/** durationFromMs without create(): the same seconds and nanos. */
function duration(ms: number): Duration {
  const sign = ms < 0 ? -1 : 1;
  const abs = Math.abs(ms);
  const seconds = Math.floor(abs / 1000);
  const nanos = (abs - seconds * 1000) * 1_000_000;
  return { $typeName: "google.protobuf.Duration", seconds: BigInt(seconds * sign), nanos: nanos === 0 ? 0 : nanos * sign };
}
