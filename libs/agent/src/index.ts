/**
 * Agent runner: `orchestrator agent` runs a coding agent's command (Claude
 * Code, Codex, a script) as an orchestrator instance. It registers and
 * heartbeats, turns dispatch messages into runs (messages that arrived
 * meanwhile injected as banners), answers `worker_done` or `escalation`,
 * and keeps the recent output for `orchestrator agent tail`.
 *
 * Terminal host: `orchestrator terminal create` starts one per terminal, a
 * command (a shell, an agent's TUI) under a pseudo-terminal, registered as
 * an instance and driven over AgentService (read, send, wait, stop, close).
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
export { startTerminalHost, type RunningTerminalHost, type TerminalHostOptions } from "./terminal/start-terminal-host.js";
export { agentKindOf, TERMINAL_LABEL, TERMINAL_POOL, TITLE_LABEL } from "./terminal/terminal-labels.js";
export { DEFAULT_TERMINAL_WAIT_MS } from "./terminal/terminal-service.handler.js";
