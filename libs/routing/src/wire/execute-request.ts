import type { Value } from "@bufbuild/protobuf/wkt";
import type { ExecuteRequest } from "@orchestrator/contracts";

/**
 * The ExecuteRequest of one attempt (no session), as the plain message
 * object `create` would make, every field set: the transport then sends it
 * as it is instead of walking the schema to build it on every attempt.
 */
export function executeRequest(workId: string, payload: Value, attempt: number, metadata: { [key: string]: string }): ExecuteRequest {
  return { $typeName: "orchestrator.worker.v1.ExecuteRequest", workId, payload, attempt, sessionId: "", sequence: 0n, history: [], metadata };
}
