import { InvalidArgumentError } from "@orchestrator/errors";
import { RangeRuleError, expandLetterRange, expandNumericRange, isLetterRangeShape } from "./expand-range.js";
import { globToRegex } from "./glob-to-regex.js";
import { isValidInstanceName } from "./is-valid-instance-name.js";
import { AGENT_KINDS, MAX_SELECTOR_LENGTH, type AgentKind, type Selector } from "./selector.js";

const GLOB_CHARS = /^[A-Za-z0-9_.*?-]+$/;
const NAME_CHARS = /^[A-Za-z0-9_.-]+$/;

/**
 * Parses one selector: a name (`A`), a letter range (`A-H`), a numeric range
 * (`kite-1..5`), a glob (`kite-*`) or a group (`@all`, `@idle`, `@healthy`,
 * `@pool:NAME`, `@label:K=V`, an agent kind `@claude`, `@codex`, `@gemini`,
 * `@opencode`, or `@worktree:ID`). Text is taken as is: no trimming.
 *
 * Throws InvalidArgumentError(field, rule, "invalid_selector") whose rule
 * quotes the selector text and says what is wrong; `field` names the request
 * field (e.g. `instances[1]`), default `"selector"`. Never throws anything else.
 */
export function parseSelector(text: string, field = "selector"): Selector {
  const fail = (rule: string): never => {
    throw new InvalidArgumentError(field, `selector ${JSON.stringify(text)}: ${rule}`, "invalid_selector");
  };
  if (typeof text !== "string" || text.length === 0) return fail("must not be empty");
  if (text.trim().length === 0) return fail("must not be blank");
  if (text.length > MAX_SELECTOR_LENGTH) return fail(`must be at most ${MAX_SELECTOR_LENGTH} characters`);
  if (text.trim() !== text) return fail("must not start or end with whitespace");
  if (text.startsWith("@")) return parseGroup(text, fail);
  if (text.includes("*") || text.includes("?")) {
    if (!GLOB_CHARS.test(text)) return fail("a glob may only contain letters, digits, '_', '.', '-', '*' and '?'");
    return { kind: "glob", pattern: text, regex: globToRegex(text) };
  }
  if (!NAME_CHARS.test(text)) return fail("may only contain letters, digits, '_', '.' and '-' (or start with '@' for a group)");
  try {
    if (text.includes("..")) return { kind: "range", names: expandNumericRange(text), text };
    if (isLetterRangeShape(text)) return { kind: "range", names: expandLetterRange(text), text };
  } catch (error) {
    if (error instanceof RangeRuleError) return fail(error.message);
    throw error;
  }
  if (!isValidInstanceName(text)) {
    if (/^[A-Za-z]-$|^-[A-Za-z]$/.test(text)) return fail("a letter range needs one letter on each side of '-' (e.g. A-H)");
    if (text.length > 63) return fail("a name is at most 63 characters");
    return fail("a name must start and end with a letter or digit");
  }
  return { kind: "name", name: text };
}

function parseGroup(text: string, fail: (rule: string) => never): Selector {
  switch (text) {
    case "@all":
      return { kind: "group", group: "all" };
    case "@idle":
      return { kind: "group", group: "idle" };
    case "@healthy":
      return { kind: "group", group: "healthy" };
  }
  const agent = text.slice(1);
  if ((AGENT_KINDS as readonly string[]).includes(agent)) return { kind: "agent", agent: agent as AgentKind };
  if (text.startsWith("@worktree:")) {
    const worktree = text.slice("@worktree:".length);
    if (worktree === "") return fail("@worktree: needs a worktree id (e.g. @worktree:kite-1)");
    if (!/^[A-Za-z0-9_./-]+$/.test(worktree)) return fail(`worktree id '${worktree}' may only contain letters, digits, '_', '.', '/' and '-'`);
    return { kind: "worktree", worktree };
  }
  if (text.startsWith("@pool:")) {
    const pool = text.slice("@pool:".length);
    if (pool === "") return fail("@pool: needs a pool name (e.g. @pool:default)");
    if (!isValidInstanceName(pool)) return fail(`pool name '${pool}' must be 1-63 letters, digits, '_', '.', '-', starting and ending with a letter or digit`);
    return { kind: "pool", pool };
  }
  if (text.startsWith("@label:")) {
    const body = text.slice("@label:".length);
    const eq = body.indexOf("=");
    if (eq < 0) return fail("expected @label:KEY=VALUE");
    const key = body.slice(0, eq);
    const value = body.slice(eq + 1);
    if (key === "") return fail("@label: needs a non-empty key (e.g. @label:zone=eu)");
    if (value === "") return fail("@label: needs a non-empty value (e.g. @label:zone=eu)");
    if (key.includes(",") || value.includes(",")) return fail("a label selector must not contain ','");
    return { kind: "label", key, value };
  }
  return fail(`unknown group; expected @all, @idle, @healthy, @pool:NAME, @label:KEY=VALUE, @worktree:ID or an agent kind (${AGENT_KINDS.map((k) => `@${k}`).join(", ")})`);
}
