import type { JsonValue } from "@bufbuild/protobuf";
import { outputTail } from "./output-tail.js";
import type { RunFailure } from "./run-failure.js";

/** Who an answer is about: a task's dispatch and where its answers go. */
export interface AnsweredDispatch {
  readonly taskId: string;
  readonly dispatchId: string;
  readonly replyTo: string;
}

/** A mailbox Send the runner makes on the agent's behalf. */
export interface AnswerMessage {
  readonly to: string;
  readonly from: string;
  readonly type: "worker_done" | "escalation";
  readonly priority: "normal" | "high";
  readonly subject: string;
  readonly body: string;
  /** The dispatch id, so the answer joins the dispatch's thread. */
  readonly threadId: string;
  /** JSON text. */
  readonly payload: string;
}

/**
 * `worker_done` for a run that exited 0: payload `{task, dispatch, result}`
 * (what the scheduler completes the dispatch with), the output tail as body.
 */
export function workerDoneAnswer(agent: string, d: AnsweredDispatch, result: JsonValue, tail: string): AnswerMessage {
  return {
    to: d.replyTo,
    from: agent,
    type: "worker_done",
    priority: "normal",
    subject: `done: ${d.taskId}`,
    body: tail,
    threadId: d.dispatchId,
    payload: JSON.stringify({ task: d.taskId, dispatch: d.dispatchId, result }),
  };
}

/**
 * `escalation` for a failed run, priority high: payload
 * `{task, dispatch, error, exitCode?}`. An escalation with `error` is a
 * failed attempt to the scheduler (retried elsewhere, counted by the
 * circuit breaker), not a question; the output tail is the body.
 */
export function escalationAnswer(agent: string, d: AnsweredDispatch, failure: RunFailure, tail: string): AnswerMessage {
  return {
    to: d.replyTo,
    from: agent,
    type: "escalation",
    priority: "high",
    subject: failure.subject.slice(0, 512),
    body: tail,
    threadId: d.dispatchId,
    payload: JSON.stringify({ task: d.taskId, dispatch: d.dispatchId, error: failure.error, ...(failure.exitCode === undefined ? {} : { exitCode: failure.exitCode }) }),
  };
}

/**
 * The answer made small enough for any mailbox limit: a 2 KB body, and for
 * `worker_done` a result replaced by `{summary, truncated: true,
 * resultBytes}`. Sent when the mailbox refused the full answer's size, so
 * the dispatch still ends instead of timing out.
 */
export function compactAnswer(answer: AnswerMessage): AnswerMessage {
  const body = outputTail(answer.body.split("\n"), { maxLines: 40, maxBytes: 2048 });
  if (answer.type !== "worker_done") return { ...answer, body };
  const payload = JSON.parse(answer.payload) as { task: string; dispatch: string; result: unknown };
  const resultBytes = Buffer.byteLength(JSON.stringify(payload.result ?? null), "utf8");
  return { ...answer, body, payload: JSON.stringify({ task: payload.task, dispatch: payload.dispatch, result: { summary: body, truncated: true, resultBytes } }) };
}
