import type { SelectableInstance } from "./selectable-instance.js";
import { AGENT_LABEL, WORKTREE_LABEL, type Selector } from "./selector.js";

/**
 * Activities of an instance that is free for work: `idle`, and an agent's
 * `completed` or `error`, which it shows after a run until its next dispatch.
 */
export const FREE_ACTIVITIES: ReadonlySet<SelectableInstance["activity"]> = new Set(["idle", "completed", "error"]);

const rangeSets = new WeakMap<readonly string[], ReadonlySet<string>>();

function rangeSet(names: readonly string[]): ReadonlySet<string> {
  let set = rangeSets.get(names);
  if (!set) {
    set = new Set(names);
    rangeSets.set(names, set);
  }
  return set;
}

/**
 * Does one selector match one instance? Names, ranges and globs compare the
 * instance name (case-sensitive). `@idle` = free (FREE_ACTIVITIES), not
 * allocated, and health not down; `@healthy` = health healthy; `@pool:P` = pool equals P;
 * `@label:K=V` = label K equals V; `@claude` (and the other agent kinds) =
 * label `agent=claude`; `@worktree:ID` = label `worktree=ID`.
 */
export function matches(selector: Selector, instance: SelectableInstance): boolean {
  switch (selector.kind) {
    case "name":
      return instance.name === selector.name;
    case "range":
      return rangeSet(selector.names).has(instance.name);
    case "glob":
      return selector.regex.test(instance.name);
    case "pool":
      return instance.pool === selector.pool;
    case "label":
      return Object.hasOwn(instance.labels, selector.key) && instance.labels[selector.key] === selector.value;
    case "agent":
      return Object.hasOwn(instance.labels, AGENT_LABEL) && instance.labels[AGENT_LABEL] === selector.agent;
    case "worktree":
      return Object.hasOwn(instance.labels, WORKTREE_LABEL) && instance.labels[WORKTREE_LABEL] === selector.worktree;
    case "group":
      switch (selector.group) {
        case "all":
          return true;
        case "healthy":
          return instance.health === "healthy";
        case "idle":
          return FREE_ACTIVITIES.has(instance.activity) && !instance.allocatedTo && instance.health !== "down";
      }
  }
}
