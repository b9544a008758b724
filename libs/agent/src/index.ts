/**
 * Agent runner: `orchestrator agent` runs a coding agent's command (Claude
 * Code, Codex, a script) as an orchestrator instance. It registers and
 * heartbeats, turns dispatch messages into runs (messages that arrived
 * meanwhile injected as banners), answers `worker_done` or `escalation`,
 * and keeps the recent output for `orchestrator agent tail`.
 */
export { startAgentRunner } from "./start-agent-runner.js";
export type { AgentRunnerOptions, RunningAgent } from "./agent-runner-options.js";
export type { AgentActivity } from "./agent-activity.js";
export type { AgentStatus } from "./agent-status.js";
export { AgentConfigError } from "./agent-config-error.js";
export { AGENT_EXAMPLE, assertAgentSetup, type AgentSetup } from "./assert-agent-setup.js";
export type { InputMode } from "./run-agent-command.js";
export type { OutputRecord, OutputStream } from "./output-ring.js";
export { shellCommandLine } from "./shell-command-line.js";
export { formatDuration } from "./format-duration.js";
export { priorityMarker, renderBanner } from "./render-banner.js";
