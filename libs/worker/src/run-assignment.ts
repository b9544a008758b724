import { fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import { type Duration, ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import type { WorkAssignment } from "@orchestrator/contracts";
import { truncate } from "@orchestrator/rpc";
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { Logger } from "pino";
import { AssignmentContext, type AssignmentAbort } from "./assignment-abort.js";
import { workError, type WorkOutcome } from "./work-result.js";
import type { WorkHandler } from "./worker-options.js";


/** WorkError.message's limit (proto: max_len 4096). */
const MESSAGE_MAX_CHARS = 4096;

const tracer = trace.getTracer("@orchestrator/worker");

/** A Duration in milliseconds; 0 when absent. */
export function durationMs(d: Duration | undefined): number {
  return d ? Number(d.seconds) * 1000 + Math.floor(d.nanos / 1e6) : 0;
}

/**
 * Runs one assignment through `handler` as Execute would (payload as JSON,
 * the signal of `abort`, made only if the handler reads it, the instance name) and answers its outcome; never
 * rejects. The handler runs in a `worker.assignment` span, child of the
 * assignment's `traceparent` (extracted by the global W3C propagator), so
 * its own spans join the dispatch's trace. A ConnectError answers its code
 * and raw message; an error thrown after the signal aborted answers the
 * abort's reason (CANCELLED for a WorkCancel, DEADLINE_EXCEEDED for the
 * timeout); anything else is logged and answers INTERNAL with its message.
 * Messages are capped at 4096 characters.
 */
export async function runAssignment(
  assignment: WorkAssignment,
  o: { handler: WorkHandler; instance: string; abort: AssignmentAbort; logger: Logger },
): Promise<WorkOutcome> {
  const request = assignment.request;
  const parent = assignment.traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent: assignment.traceparent }) : ROOT_CONTEXT;
  const attributes = { "orchestrator.instance": o.instance, "orchestrator.dispatch_id": assignment.id, "orchestrator.work_id": request?.workId ?? "" };
  return tracer.startActiveSpan("worker.assignment", { kind: SpanKind.SERVER, attributes }, parent, async (span): Promise<WorkOutcome> => {
    try {
      if (!request) throw new ConnectError("the assignment carries no request", Code.InvalidArgument);
      const payload: JsonValue = request.payload ? toJson(ValueSchema, request.payload) : null;
      const result = await o.handler(request, new AssignmentContext(o.abort, o.instance, payload));
      return { case: "result", value: fromJson(ValueSchema, result ?? null) };
    } catch (err) {
      const error = toWorkError(err, o.abort.reason);
      if (error.code === Code.Internal && !(err instanceof ConnectError)) o.logger.error({ err, id: assignment.id }, "unhandled error in work handler");
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      span.setAttribute("rpc.grpc.status_code", error.code);
      return workError(error.code, error.message);
    } finally {
      span.end();
    }
  });
}

function toWorkError(err: unknown, abortReason: unknown): { code: Code; message: string } {
  let e = err instanceof ConnectError ? err : undefined;
  if (!e && abortReason instanceof ConnectError) e = abortReason;
  if (e) return { code: e.code, message: truncate(e.rawMessage, MESSAGE_MAX_CHARS) };
  return { code: Code.Internal, message: truncate(err instanceof Error ? err.message || err.name : String(err), MESSAGE_MAX_CHARS) };
}
