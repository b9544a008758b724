/**
 * What the agent is doing, in the worker status protocol: `idle` between
 * tasks, `waiting` while a dispatch's input is prepared, `running` while the
 * command runs, then `completed` or `error` once its answer is sent, which
 * stays until the next dispatch.
 */
export type AgentActivity = "idle" | "waiting" | "running" | "completed" | "error";
