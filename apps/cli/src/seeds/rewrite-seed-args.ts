/** Program-level options that take a value (`--addr HOST:PORT`): their value is not a command word. */
const GLOBAL_VALUE_OPTIONS: ReadonlySet<string> = new Set(["--addr", "--api-key", "--timeout-ms"]);

/**
 * Orca's hyphenated commands (`orca orchestration task-create ...`) and the
 * subcommands of ours they are (`task create`). `dispatch-show`, `run-stop`,
 * `run-show` and `mark-read` are commands of their own already.
 */
export const ORCA_ALIASES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  "task-create": ["task", "create"],
  "task-list": ["task", "list"],
  "task-update": ["task", "update"],
  "task-get": ["task", "get"],
  "gate-create": ["gate", "create"],
  "gate-resolve": ["gate", "resolve"],
  "gate-list": ["gate", "list"],
});

/** Orca's command prefix: `orchestrator orchestration send ...` is `orchestrator send ...`. */
export const ORCA_PREFIX = "orchestration";

/** Index of the first command word in `args` (argv without node and the script), skipping program options and their values; -1 when none. */
export function commandWordIndex(args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return -1;
    if (arg.startsWith("-")) {
      if (GLOBAL_VALUE_OPTIONS.has(arg)) i++;
      continue;
    }
    return i;
  }
  return -1;
}

/**
 * Rewrites the command surfaces of the seeds into ours, so they run as
 * their users type them with `orchestrator` as the tool's name:
 *
 * - Orca: the `orchestration` prefix is dropped, and its hyphenated
 *   commands become ours (`task-create` → `task create`, see ORCA_ALIASES);
 * - the worker dispatcher: `orchestrator --repo kite --command "..."` (no
 *   command word) is `orchestrator dispatch --repo kite --command "..."`.
 *
 * Everything else is returned as is.
 */
export function rewriteSeedArgs(args: readonly string[]): string[] {
  const out = [...args];
  const dispatcherFlag = out.findIndex((a) => a === "--repo" || a.startsWith("--repo="));
  let at = commandWordIndex(out);
  if (dispatcherFlag >= 0 && (at < 0 || dispatcherFlag < at)) {
    out.splice(dispatcherFlag, 0, "dispatch");
    return out;
  }
  if (at >= 0 && out[at] === ORCA_PREFIX) {
    out.splice(at, 1);
    at = commandWordIndex(out);
  }
  if (at >= 0) {
    const alias = ORCA_ALIASES[out[at]!];
    if (alias) out.splice(at, 1, ...alias);
  }
  return out;
}
