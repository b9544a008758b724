import { homedir } from "node:os";
import { resolve } from "node:path";
import { AgentConfigError, assertAgentSetup, type InputMode } from "@orchestrator/agent";
import { isValidInstanceName } from "@orchestrator/selector";
import { parseDurationOption } from "../router/parse-duration-option.js";

/** The flags of `orchestrator agent`, as commander hands them over. */
export interface AgentFlags {
  readonly name: string;
  readonly pool: string;
  readonly label: readonly string[];
  readonly workdir: string;
  readonly input: string;
  readonly timeout: string;
  readonly outputLines: string;
  readonly listen: string;
  readonly heartbeatInterval: string;
}

/** What the flags mean, checked. */
export interface AgentFlagsConfig {
  readonly name: string;
  readonly pool: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Absolute, `~` expanded. */
  readonly workdir: string;
  readonly inputMode: InputMode;
  readonly timeoutMs: number;
  readonly outputLines: number;
  readonly host: string;
  readonly port: number;
  readonly heartbeatIntervalMs: number;
  readonly command: readonly string[];
}

const NAME_RULE = "1-63 letters, digits, '.', '_' or '-', starting and ending with a letter or digit";
const MAX_OUTPUT_LINES = 100_000;

/**
 * Checks every flag of `orchestrator agent` before anything touches the
 * network, and turns them into settings: the command after `--` and the
 * workdir (see assertAgentSetup; `~` expanded), name and pool (the
 * instance-name rule), labels `KEY=VALUE`, `--input arg|stdin`, durations
 * (`30m`, `1s`, a bare number of seconds), `--output-lines`, `--listen host:port`. Throws
 * AgentConfigError whose message says what to fix.
 */
export function parseAgentFlags(flags: AgentFlags, command: readonly string[], env: { PATH?: string; home?: string } = {}): AgentFlagsConfig {
  const workdir = assertAgentSetup({ command, workdir: expandHome(flags.workdir, env.home ?? homedir()), path: env.PATH ?? "" });
  if (!isValidInstanceName(flags.name)) throw new AgentConfigError("name", `--name "${flags.name}" is not a valid instance name: use ${NAME_RULE} (e.g. kite-1)`);
  if (!isValidInstanceName(flags.pool)) throw new AgentConfigError("pool", `--pool "${flags.pool}" is not a valid pool name: use ${NAME_RULE} (e.g. kite)`);
  const labels: Record<string, string> = {};
  for (const label of flags.label) {
    const eq = label.indexOf("=");
    if (eq <= 0) throw new AgentConfigError("label", `--label must be KEY=VALUE (e.g. --label zone=a), got "${label}"`);
    labels[label.slice(0, eq)] = label.slice(eq + 1);
  }
  if (flags.input !== "arg" && flags.input !== "stdin") {
    throw new AgentConfigError("input", `--input must be arg (the task text as the command's last argument) or stdin, got "${flags.input}"`);
  }
  const outputLines = /^\d+$/.test(flags.outputLines.trim()) ? Number(flags.outputLines) : Number.NaN;
  if (!(outputLines >= 1 && outputLines <= MAX_OUTPUT_LINES)) {
    throw new AgentConfigError("output-lines", `--output-lines must be a whole number from 1 to ${MAX_OUTPUT_LINES}, got "${flags.outputLines}"`);
  }
  const { host, port } = parseListen(flags.listen);
  return Object.freeze({
    name: flags.name,
    pool: flags.pool,
    labels: Object.freeze(labels),
    workdir,
    inputMode: flags.input,
    timeoutMs: positiveDuration(flags.timeout, "--timeout"),
    outputLines,
    host,
    port,
    heartbeatIntervalMs: positiveDuration(flags.heartbeatInterval, "--heartbeat-interval"),
    command: Object.freeze([...command]),
  });
}

function positiveDuration(text: string, flag: string): number {
  let ms: number;
  try {
    ms = parseDurationOption(text, flag);
  } catch (error) {
    throw new AgentConfigError(flag.slice(2), (error as Error).message);
  }
  if (!(ms > 0)) throw new AgentConfigError(flag.slice(2), `${flag} must be longer than 0, got "${text}"; use e.g. 30m, 1s, 500ms`);
  return ms;
}

function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535) throw new AgentConfigError("listen", `--listen must be host:port (e.g. 127.0.0.1:0 for any free port, [::1]:7400), got "${text}"`);
  return { host: m[1] ?? m[2]!, port };
}

/** `~` and `~/x` as the shell would expand them (a provisioner passes flags without a shell). */
function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return resolve(home, path.slice(2));
  return resolve(path);
}
