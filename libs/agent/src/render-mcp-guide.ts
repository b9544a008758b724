import type { AgentDispatch } from "./agent-dispatch.js";

/**
 * What a run's input says after the dispatch text when the orchestrator MCP
 * server is configured for it: answer with the tools rather than the shell
 * commands the preamble shows (the task and dispatch are filled in).
 */
export function renderMcpGuide(d: AgentDispatch): string {
  return [
    "",
    `You have the orchestrator's MCP tools (server "orchestrator"); use them instead of the shell commands above:`,
    `- worker_done {result, summary}: report task ${d.taskId} done (dispatch ${d.dispatchId} is filled in).`,
    "- escalate {question, details, options}: when you are blocked or unsure, then stop; escalate {question, error} when you cannot do it.",
    "- check {wait: true}: wait for messages instead of polling; send, reply, inbox for the mailbox.",
    "- task_create, task_list, task_show, gate_create, gate_resolve, instances, health: the scheduler and the fleet.",
  ].join("\n");
}
