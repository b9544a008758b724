/**
 * The one selector grammar used by router, mailbox, scheduler, health and
 * CLI: names (`A`), letter and numeric ranges (`A-H`, `kite-1..5`), globs
 * (`kite-*`) and groups (`@all`, `@idle`, `@healthy`, `@pool:NAME`,
 * `@label:K=V`, `@claude`/`@codex`/`@gemini`/`@opencode`, `@worktree:ID`).
 */
export { AGENT_KINDS, AGENT_LABEL, MAX_RANGE_SIZE, MAX_SELECTOR_LENGTH, WORKTREE_LABEL, type AgentKind, type Selector } from "./selector.js";
export { MAX_INSTANCE_NAME_LENGTH, isValidInstanceName } from "./is-valid-instance-name.js";
export { parseSelector } from "./parse-selector.js";
export type { SelectableInstance } from "./selectable-instance.js";
export { FREE_ACTIVITIES, matches } from "./matches.js";
export { resolveSelectors, type ResolveOptions } from "./resolve-selectors.js";
export { splitSelectorList } from "./split-selector-list.js";
