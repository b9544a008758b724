/** How a provisioned agent receives its task text (`orchestrator agent --input`). */
export type AgentInput = "arg" | "stdin";

/**
 * A pool template, from ORCHESTRATOR_POOLS_FILE: how the pool's provisioner
 * creates `NAME-N` agents and within which limits. Paths are absolute
 * (resolved when the file is loaded); durations are milliseconds.
 */
export interface PoolTemplate {
  /** The pool name; instances are `<name>-1`, `<name>-2`, ... */
  readonly name: string;
  /** Which provisioner creates the instances. Only `local` exists today. */
  readonly provisioner: "local";
  /** Git URL or absolute path each instance's working copy is cloned (or copied) from. */
  readonly repo: string;
  /** Branch or tag to clone; the remote's default branch when absent. */
  readonly ref: string | undefined;
  /** The agent command and its arguments (`[claude, -p]`). Never empty. */
  readonly command: readonly string[];
  /** How the agent gets the task text. @default "arg" */
  readonly input: AgentInput;
  /** Instances kept running (not `down`) at all times. @default 0 */
  readonly min: number;
  /** Most instances (not `down`, reservations included). ≥ 1 and ≥ min. */
  readonly max: number;
  /** An instance idle this long is stopped while the pool is above `min`; 0 = never. @default 0 */
  readonly idleShutdownMs: number;
  /** Directory holding the working copies (`<workdirRoot>/<name>`) and their logs. @default <data dir>/pools */
  readonly workdirRoot: string;
  /** Setup script, relative to the working copy, run with bash when present. @default "scripts/dev-setup.sh" */
  readonly setup: string;
  /** Labels every instance registers with. */
  readonly labels: Readonly<Record<string, string>>;
  /** Extra environment of the agent process (and of the setup script). */
  readonly env: Readonly<Record<string, string>>;
  /** Deadline of one agent run (`orchestrator agent --timeout`); the agent's default when absent. */
  readonly runTimeoutMs: number | undefined;
  /** Clone + setup + start + healthy must finish within this. @default 600000 (10 min) */
  readonly provisionTimeoutMs: number;
}
