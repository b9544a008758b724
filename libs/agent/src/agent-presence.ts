import type { AgentActivity } from "./agent-activity.js";

/**
 * What the runner tells the health registry while it works, shaped by what
 * the runner needs (see startAgentRegistration). Both calls queue and
 * return at once; they go out in order, and failures are the
 * registration's to log and retry, never the run's.
 */
export interface AgentPresence {
  /** ReportActivity: what the agent does now, with a detail (task id, exit code). */
  report(activity: AgentActivity, detail: string): void;
  /** ReleaseInstance of this agent for `holder` (`task:<id>`), if that allocation holds it. */
  release(holder: string): void;
}
