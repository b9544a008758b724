/** A `dispatch` message from the scheduler, as the runner acts on it. */
export interface AgentDispatch {
  /** The mailbox message it came in. */
  readonly messageId: string;
  readonly taskId: string;
  /** The dispatch context (one attempt); answers carry it as payload.dispatch and thread id. */
  readonly dispatchId: string;
  readonly attempt: number;
  /** Where `worker_done` and `escalation` go. */
  readonly replyTo: string;
  /** What the command gets: the message body (the preamble and the spec when injected), else the spec. */
  readonly text: string;
  /** The dispatch's own deadline, when the scheduler set one. */
  readonly timeoutMs?: number;
  /** W3C traceparent of the dispatch span, when traced. */
  readonly traceparent?: string;
}
