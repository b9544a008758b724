import { DomainError, NotFoundError } from "@orchestrator/errors";
import { matches } from "./matches.js";
import { parseSelector } from "./parse-selector.js";
import type { SelectableInstance } from "./selectable-instance.js";

/** Options of resolveSelectors. */
export interface ResolveOptions {
  /** Instance names never returned (e.g. the sender for "@all except me"). */
  readonly exclude?: readonly string[];
  /** Request field of the selector list, for error messages; item i is `${field}[i]`. @default "selectors" */
  readonly field?: string;
}

/**
 * Resolves selectors against a registry: the union of their matches, in
 * registry order, without duplicates, minus `exclude`. An empty list resolves
 * to nothing (callers that mean "all" pass `["@all"]`).
 *
 * Every selector must match at least one (non-excluded) instance: a plain name
 * that is not registered throws NotFoundError with reason `unknown_instance`;
 * any other selector that matches nothing throws a not_found DomainError with
 * reason `no_match`. Both messages start with the request field and name the
 * selector text (`instances[1]: selector "x*" matched no instance`). Bad syntax throws
 * InvalidArgumentError (reason `invalid_selector`) naming `${field}[i]`.
 */
export function resolveSelectors<T extends SelectableInstance>(
  texts: readonly string[],
  instances: readonly T[],
  options: ResolveOptions = {},
): T[] {
  const field = options.field ?? "selectors";
  const excluded = new Set(options.exclude ?? []);
  const selectors = texts.map((text, i) => parseSelector(text, `${field}[${i}]`));
  const matched = selectors.map(() => false);
  const result: T[] = [];
  for (const instance of instances) {
    if (excluded.has(instance.name)) continue;
    let selected = false;
    selectors.forEach((selector, i) => {
      if (matches(selector, instance)) {
        matched[i] = true;
        selected = true;
      }
    });
    if (selected) result.push(instance);
  }
  selectors.forEach((selector, i) => {
    if (matched[i]) return;
    const text = texts[i] as string;
    const metadata = { selector: text, field: `${field}[${i}]` };
    if (selector.kind === "name" && !instances.some((instance) => instance.name === selector.name)) {
      throw new NotFoundError("instance", selector.name, "unknown_instance", `${field}[${i}]`);
    }
    const why = selector.kind === "name" ? "is excluded here" : "matched no instance";
    throw new DomainError("not_found", "no_match", `${field}[${i}]: selector "${text}" ${why}`, metadata);
  });
  return result;
}
