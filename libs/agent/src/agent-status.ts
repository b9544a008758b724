import type { AgentActivity } from "./agent-activity.js";

/** What the agent is doing now (GetAgentStatus). */
export interface AgentStatus {
  readonly activity: AgentActivity;
  /** The ReportActivity detail that goes with it. */
  readonly detail: string;
  /** The task and dispatch being run; "" when idle. */
  readonly taskId: string;
  readonly dispatchId: string;
  /** Dispatches received and not yet started. */
  readonly queued: number;
  readonly runsCompleted: number;
  readonly runsFailed: number;
  readonly startedAt: Date;
  /** When the current run's command started. */
  readonly runStartedAt: Date | undefined;
}
