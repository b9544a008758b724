/**
 * A parsed selector: which instances a piece of text picks out. Produced by
 * `parseSelector`, consumed by `matches` and `resolveSelectors`. Ranges are
 * expanded at parse time (at most 10,000 names) so matching is a set lookup.
 */
export type Selector =
  | { kind: "name"; name: string }
  | { kind: "range"; names: readonly string[]; text: string }
  | { kind: "glob"; pattern: string; regex: RegExp }
  | { kind: "group"; group: "all" | "idle" | "healthy" }
  | { kind: "pool"; pool: string }
  | { kind: "label"; key: string; value: string }
  | { kind: "agent"; agent: AgentKind }
  | { kind: "worktree"; worktree: string };

/** The coding agents that have a group of their own (`@claude`, ...): instances labelled `agent=<kind>`. */
export const AGENT_KINDS = ["claude", "codex", "gemini", "opencode"] as const;

/** One of AGENT_KINDS. */
export type AgentKind = (typeof AGENT_KINDS)[number];

/** The label an agent's kind is read from (`agent=claude`; the agent runner sets it from its command's name). */
export const AGENT_LABEL = "agent";

/** The label `@worktree:<id>` matches (`worktree=<id>`; the agent runner sets it from its working copy). */
export const WORKTREE_LABEL = "worktree";

/** The longest selector text accepted, in characters. */
export const MAX_SELECTOR_LENGTH = 256;

/** The most names one range may expand to. */
export const MAX_RANGE_SIZE = 10_000;
