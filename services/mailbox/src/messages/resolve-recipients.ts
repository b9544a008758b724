import { DomainError, InvalidArgumentError } from "@orchestrator/errors";
import { parseSelector } from "@orchestrator/selector";
import type { RecipientDirectory } from "./recipient-directory.js";

/** The recipients a Send's `to` names (field `to` in errors). */
export interface Recipients {
  /** Distinct handles, in registry order for a group. */
  readonly handles: readonly string[];
  /** True when `to` was a group, range or glob rather than one handle. */
  readonly group: boolean;
}

/**
 * Turns `to` into handles. A plain handle is its own recipient, registered
 * or not; anything else (a group, range or glob) resolves through the
 * directory and must match at least one instance. `@all` leaves out the
 * sender. More than `maxRecipients` is refused, before anything is written.
 */
export async function resolveRecipients(
  to: string,
  sender: string,
  directory: RecipientDirectory,
  maxRecipients: number,
): Promise<Recipients> {
  const selector = parseSelector(to, "to");
  if (selector.kind === "name") return { handles: [selector.name], group: false };
  let handles = [...new Set(await directory.resolve(to))];
  if (selector.kind === "group" && selector.group === "all") handles = handles.filter((h) => h !== sender);
  if (handles.length === 0) {
    const rule = `selector "${to}" matched no instance other than the sender "${sender}"`;
    throw new DomainError("not_found", "no_match", `to: ${rule}`, { selector: to, field: "to" }, [{ field: "to", description: rule }]);
  }
  if (handles.length > maxRecipients) {
    throw new InvalidArgumentError("to", `selector "${to}" matched ${handles.length} instances; at most ${maxRecipients} recipients are allowed (ORCHESTRATOR_MAILBOX_MAX_RECIPIENTS)`);
  }
  return { handles, group: true };
}
