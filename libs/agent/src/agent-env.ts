import type { AgentDispatch } from "./agent-dispatch.js";

/** What a run's environment is built from. */
export interface AgentEnvInput {
  /** The runner's environment, inherited by the command. */
  readonly base: Readonly<NodeJS.ProcessEnv>;
  /** The agent's name: its mailbox handle. */
  readonly handle: string;
  /** Control-plane address the command's `orchestrator` calls go to. */
  readonly controlPlane: string;
  readonly apiKey?: string;
  /** A command line that runs the orchestrator CLI. */
  readonly cli: string;
  readonly dispatch: AgentDispatch;
}

/**
 * The environment of one run: the runner's own, plus what lets the agent
 * talk back (`$ORCHESTRATOR_CLI send ...` reaches the right control plane
 * as the right handle): ORCHESTRATOR_HANDLE, ORCHESTRATOR_ADDR,
 * ORCHESTRATOR_API_KEY (when set), ORCHESTRATOR_TASK_ID,
 * ORCHESTRATOR_DISPATCH_ID, ORCHESTRATOR_REPLY_TO, ORCHESTRATOR_CLI, and
 * TRACEPARENT when the dispatch was traced.
 */
export function agentEnv(input: AgentEnvInput): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...input.base,
    ORCHESTRATOR_HANDLE: input.handle,
    ORCHESTRATOR_ADDR: input.controlPlane,
    ORCHESTRATOR_TASK_ID: input.dispatch.taskId,
    ORCHESTRATOR_DISPATCH_ID: input.dispatch.dispatchId,
    ORCHESTRATOR_REPLY_TO: input.dispatch.replyTo,
    ORCHESTRATOR_CLI: input.cli,
  };
  if (input.apiKey) env["ORCHESTRATOR_API_KEY"] = input.apiKey;
  if (input.dispatch.traceparent) env["TRACEPARENT"] = input.dispatch.traceparent;
  return env;
}
