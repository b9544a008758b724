import { basename } from "node:path";
import { AGENT_KINDS, AGENT_LABEL, WORKTREE_LABEL } from "@orchestrator/selector";

/** The label that marks an instance as a terminal (`terminal=true`): what `orchestrator terminal list` selects. */
export const TERMINAL_LABEL = "terminal";
/** The label holding a terminal's title. */
export const TITLE_LABEL = "title";
/** The pool terminals register in. */
export const TERMINAL_POOL = "terminals";

/**
 * The known agent CLI a command line runs (`claude`, `codex`, `gemini`,
 * `opencode`: its program's name, after any `NAME=value` assignments and a
 * path), else "".
 */
export function agentKindOf(command: string): string {
  const words = command.trim().split(/\s+/).filter((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
  const program = words[0] ? basename(words[0].replace(/^['"]|['"]$/g, "")) : "";
  return (AGENT_KINDS as readonly string[]).includes(program) ? program : "";
}

/**
 * A terminal's registered labels: `terminal=true`, `worktree=<id>`
 * (`@worktree:<id>` selects it), `agent=<kind>` when it runs a known agent
 * CLI (`@claude`, ...), and its title.
 */
export function terminalLabels(t: { worktree: string; agent: string; title: string }): Record<string, string> {
  return {
    [TERMINAL_LABEL]: "true",
    [WORKTREE_LABEL]: t.worktree,
    ...(t.agent ? { [AGENT_LABEL]: t.agent } : {}),
    ...(t.title ? { [TITLE_LABEL]: t.title.slice(0, 253) } : {}),
  };
}
