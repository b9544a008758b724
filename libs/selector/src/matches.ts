import type { SelectableInstance } from "./selectable-instance.js";
import type { Selector } from "./selector.js";

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
 * instance name (case-sensitive). `@idle` = activity idle, not allocated, and
 * health not down; `@healthy` = health healthy; `@pool:P` = pool equals P;
 * `@label:K=V` = label K equals V.
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
    case "group":
      switch (selector.group) {
        case "all":
          return true;
        case "healthy":
          return instance.health === "healthy";
        case "idle":
          return instance.activity === "idle" && !instance.allocatedTo && instance.health !== "down";
      }
  }
}
