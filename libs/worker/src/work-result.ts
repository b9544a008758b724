import type { WorkRequest, WorkResult } from "@orchestrator/contracts";

/** What a WorkResult carries besides its id (a result or an error, as messages). */
export type WorkOutcome = WorkResult["outcome"];

/**
 * The WorkRequest answering assignment `id`, as the plain message object
 * `create(WorkRequestSchema, …)` would make, every field set: the transport
 * sends it as it is instead of walking the schema to build it for every
 * answer (work-result.test.ts checks both give the same bytes).
 */
export function workResult(id: string, outcome: WorkOutcome): WorkRequest {
  return { $typeName: "orchestrator.worker.v1.WorkRequest", kind: { case: "result", value: { $typeName: "orchestrator.worker.v1.WorkResult", id, outcome } } };
}

/** A WorkError message, as `create(WorkErrorSchema, { code, message })` would make it. */
export function workError(code: number, message: string): Extract<WorkOutcome, { case: "error" }> {
  return { case: "error", value: { $typeName: "orchestrator.worker.v1.WorkError", code, message } };
}
