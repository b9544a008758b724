/** A decision taken on a task's gate, carried into its next dispatch. */
export interface PreambleDecision {
  readonly question: string;
  readonly resolution: string;
  /** `resolved` (someone decided) or `timeout` (the gate's default applied). */
  readonly status: "resolved" | "timeout";
}

/** What the preamble is rendered from. */
export interface PreambleInput {
  readonly taskId: string;
  readonly dispatchId: string;
  readonly attempt: number;
  readonly spec: string;
  /** The agent's own handle. */
  readonly instance: string;
  /** Where `worker_done` and `escalation` go (the scheduler's handle by default). */
  readonly replyTo: string;
  readonly runId?: string | null;
  readonly decisions: readonly PreambleDecision[];
}

/**
 * The dispatch preamble: the text an agent receives with a task (the body
 * of its `dispatch` message when injected), teaching it to report back with
 * a `worker_done` message and to send an `escalation` instead of stalling.
 * The exact commands name the task and the dispatch, so the scheduler can
 * match the answer to this attempt. Decisions of the task's gates come
 * first, so an agent re-dispatched after a gate knows what was decided.
 *
 * This text is part of the scheduler's contract (agents parse nothing but
 * follow it); `dispatch-preamble.test.ts` pins it.
 */
export function renderPreamble(input: PreambleInput): string {
  const { taskId, dispatchId, replyTo } = input;
  const done = JSON.stringify({ task: taskId, dispatch: dispatchId, result: { summary: "<what you did>" } });
  const escalate = JSON.stringify({ task: taskId, dispatch: dispatchId, options: ["<option>", "<option>"] });
  const lines = [
    `You are ${input.instance}. The orchestrator scheduler dispatched task ${taskId} to you (dispatch ${dispatchId}, attempt ${input.attempt}${input.runId ? `, run ${input.runId}` : ""}).`,
    "",
  ];
  if (input.decisions.length > 0) {
    lines.push("Decisions made for this task (follow them):");
    for (const d of input.decisions) {
      lines.push(`- ${d.question} → ${d.resolution}${d.status === "timeout" ? " (default applied: nobody answered in time)" : ""}`);
    }
    lines.push("");
  }
  lines.push(
    "Task:",
    input.spec,
    "",
    "When you have finished, report it. This is how the scheduler learns the task is done; without it the task times out and goes to someone else:",
    `  orchestrator send --from ${input.instance} --to ${replyTo} --type worker_done --thread-id ${dispatchId} --subject "done: ${taskId}" --payload '${done}'`,
    "Put your result in payload.result (any JSON).",
    "",
    "If you are blocked, unsure, or cannot finish, do not stall silently. Escalate, and a person will decide:",
    `  orchestrator send --from ${input.instance} --to ${replyTo} --type escalation --priority high --thread-id ${dispatchId} --subject "<the question to decide>" --body "<what blocks you>" --payload '${escalate}'`,
    "Then stop: the task comes back to you, or to another agent, with the decision in this preamble.",
    "",
    `Read messages for you with: orchestrator check --handle ${input.instance} --unread`,
  );
  return lines.join("\n");
}
