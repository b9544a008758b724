import type { Logger } from "pino";
import type { AgentStatus } from "./agent-status.js";
import type { OutputRecord } from "./output-ring.js";
import type { InputMode } from "./run-agent-command.js";

/** Options of startAgentRunner (what `orchestrator agent` flags become). */
export interface AgentRunnerOptions {
  /** Instance name and mailbox handle, e.g. `kite-1`. */
  readonly name: string;
  readonly pool: string;
  /**
   * Registered labels; `agent=<basename of the command>` (`@claude`,
   * `@codex`, ... select by it) and `worktree=<basename of the workdir>`
   * (`@worktree:<id>`) are added unless given. @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** The agent command and its arguments, e.g. `["claude", "-p"]`. */
  readonly command: readonly string[];
  /** Where every run starts (the agent's working copy). */
  readonly workdir: string;
  /** How the task text reaches the command. @default "arg" (appended as the last argument) */
  readonly inputMode?: InputMode;
  /** Deadline of one run; a dispatch's smaller `timeoutMs` wins. @default 1800000 (30 min) */
  readonly timeoutMs?: number;
  /** Output lines kept for `agent tail`. @default 500 */
  readonly outputLines?: number;
  /** Interface the AgentService listens on; beyond loopback an API key is required. @default "127.0.0.1" */
  readonly host?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  /** Address registered for `agent tail` to dial. @default the address listened on (the host name when listening on every interface) */
  readonly advertiseAddress?: string;
  /** @default 1000 */
  readonly heartbeatIntervalMs?: number;
  /** Health service address (registration, heartbeats, activity). */
  readonly controlPlane: string;
  /** Mailbox address (dispatches, answers) and the ORCHESTRATOR_ADDR of runs. @default controlPlane */
  readonly mailboxAddress?: string;
  /** Key for calls to the control plane, and the ORCHESTRATOR_API_KEY of runs. */
  readonly apiKey?: string;
  /** Keys the runner's own server accepts. @default [apiKey] when set, else none (loopback only) */
  readonly serverApiKeys?: readonly string[];
  /** The environment runs inherit (the CLI passes its own); its PATH finds the command. */
  readonly env: Readonly<NodeJS.ProcessEnv>;
  /** ORCHESTRATOR_CLI of runs: a shell command line running the orchestrator CLI. @default "orchestrator" */
  readonly cli?: string;
  /**
   * The command (program and arguments) that serves the orchestrator MCP
   * over stdio, e.g. `[node, cli.js, "mcp"]`. When set, every run gets an MCP
   * configuration (ORCHESTRATOR_MCP_CONFIG; `--mcp-config` for claude, `-c`
   * overrides for codex) and its input teaches the tools. @default none:
   * the preamble's shell commands only.
   */
  readonly mcpServer?: readonly string[];
  /** Between SIGTERM and SIGKILL of a run's process group. @default 5000 */
  readonly killGraceMs?: number;
  readonly logger: Logger;
  /** Sees every output line as it is written (the CLI echoes them). */
  readonly echo?: (record: OutputRecord) => void;
}

/** A started runner. */
export interface RunningAgent {
  readonly name: string;
  /** host:port of its AgentService. */
  readonly address: string;
  status(): AgentStatus;
  /**
   * Shuts down: stops taking dispatches, kills a running command (its
   * dispatch, and any queued, get an escalation with an error so the
   * scheduler retries elsewhere), deregisters, closes the server.
   * Idempotent.
   */
  close(): Promise<void>;
}
