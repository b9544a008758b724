/**
 * A `dispatch` message the runner cannot act on (payload not a JSON object,
 * no task id, no text). Carries what could be read, so the runner can still
 * answer an escalation when it knows the task and where to reply.
 */
export class MalformedDispatchError extends Error {
  constructor(
    readonly messageId: string,
    readonly problem: string,
    readonly taskId: string | undefined,
    readonly dispatchId: string | undefined,
    readonly replyTo: string | undefined,
  ) {
    super(`malformed dispatch message ${messageId}: ${problem}`);
    this.name = "MalformedDispatchError";
  }
}
