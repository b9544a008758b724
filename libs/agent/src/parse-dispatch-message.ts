import type { Message } from "@orchestrator/contracts";
import type { AgentDispatch } from "./agent-dispatch.js";
import { MalformedDispatchError } from "./malformed-dispatch-error.js";

/**
 * Reads a scheduler `dispatch` message: payload
 * `{task, dispatch, attempt, spec, replyTo, timeoutMs?, traceparent?, ...}`
 * (see the scheduler's dispatcher). The dispatch id falls back to the
 * thread id, the reply-to handle to the sender, the text to payload.spec
 * when the body is empty. Throws MalformedDispatchError when the payload is
 * no JSON object, names no task, or there is no text to run.
 */
export function parseDispatchMessage(message: Message): AgentDispatch {
  let payload: Record<string, unknown> = {};
  let problem: string | undefined;
  try {
    const parsed: unknown = JSON.parse(message.payload || "null");
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) payload = parsed as Record<string, unknown>;
    else problem = message.payload ? "payload is not a JSON object" : "no payload";
  } catch {
    problem = "payload is not JSON";
  }
  const taskId = nonEmptyString(payload["task"]);
  const dispatchId = nonEmptyString(payload["dispatch"]) ?? (message.threadId || undefined);
  const replyTo = nonEmptyString(payload["replyTo"]) ?? (message.from || undefined);
  const text = message.body.trim() !== "" ? message.body : (nonEmptyString(payload["spec"]) ?? "");
  problem ??= !taskId ? "payload.task is missing" : !dispatchId ? "no dispatch id (payload.dispatch or thread id)" : text === "" ? "no task text (body or payload.spec)" : undefined;
  if (problem || !taskId || !dispatchId || !replyTo) {
    throw new MalformedDispatchError(message.id, problem ?? "no reply-to handle", taskId, dispatchId, replyTo);
  }
  const timeoutMs = payload["timeoutMs"];
  const attempt = payload["attempt"];
  const traceparent = nonEmptyString(payload["traceparent"]);
  return {
    messageId: message.id,
    taskId,
    dispatchId,
    attempt: typeof attempt === "number" && Number.isInteger(attempt) && attempt > 0 ? attempt : 1,
    replyTo,
    text,
    ...(typeof timeoutMs === "number" && Number.isFinite(timeoutMs) && timeoutMs > 0 ? { timeoutMs } : {}),
    ...(traceparent ? { traceparent } : {}),
  };
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
