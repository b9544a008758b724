import { NoHealthyInstanceError } from "@orchestrator/errors";
import { isValidInstanceName, parseSelector, resolveSelectors } from "@orchestrator/selector";
import type { RoutableInstance } from "@orchestrator/routing";
import type { DispatchKind } from "./dispatch-context.js";

/** What choosing reads of an instance (the instance view's record, its address aside). */
export type PickableInstance = Omit<RoutableInstance, "address">;

/** The instance (or agent handle) a dispatch goes to. */
export interface PickedInstance {
  readonly instance: string;
  readonly kind: DispatchKind;
}

/** Options of pickInstance. */
export interface PickOptions {
  /** Instances this task already failed on, oldest first: avoided while others are usable. */
  readonly tried: readonly string[];
  /** Dispatches in flight per instance (this replica's view): the least loaded wins. */
  readonly load: (instance: string) => number;
  /** Request field of the target, for error messages. @default "to" */
  readonly field?: string;
  /** Breaks ties between equally loaded instances. */
  readonly tieBreaker?: number;
}

const RANK: Record<PickableInstance["health"], number> = { healthy: 0, degraded: 1, unknown: 2, down: 3 };

/**
 * Chooses where a dispatch goes from `target` (one selector):
 *
 * - a plain name that is no registered instance is taken as an agent's
 *   mailbox handle (agents and people need no registration);
 * - otherwise among the matching instances the healthy ones (else degraded
 *   ones; agents that were never probed count last), instances the task has
 *   not failed on before (else the one it failed on longest ago), the least
 *   loaded first; instances allocated to a holder only when no other is
 *   usable.
 *
 * Throws the selector errors (NOT_FOUND `no_match`/`unknown_instance`,
 * INVALID_ARGUMENT for bad syntax) and UNAVAILABLE `no_healthy_instance`
 * when every match is down.
 */
export function pickInstance(target: string, instances: readonly PickableInstance[], options: PickOptions): PickedInstance {
  const field = options.field ?? "to";
  const selector = parseSelector(target, field);
  if (selector.kind === "name" && !instances.some((i) => i.name === selector.name) && isValidInstanceName(selector.name)) {
    return { instance: selector.name, kind: "agent" };
  }
  const matched = resolveSelectors([target], instances, { field });
  const usable = matched.filter((i) => i.health === "healthy" || i.health === "degraded" || (i.kind === "agent" && i.health === "unknown"));
  if (usable.length === 0) throw new NoHealthyInstanceError([target]);
  // An instance allocated to someone (AllocateInstance, e.g. an agent reserved for a pool dispatch) is taken last.
  const free = usable.filter((i) => !i.allocatedTo);
  const open = free.length > 0 ? free : usable;
  const best = Math.min(...open.map((i) => RANK[i.health]));
  const healthiest = open.filter((i) => RANK[i.health] === best);
  const untried = healthiest.filter((i) => !options.tried.includes(i.name));
  const pool = untried.length > 0 ? untried : [...healthiest].sort((a, b) => options.tried.lastIndexOf(a.name) - options.tried.lastIndexOf(b.name)).slice(0, 1);
  const least = Math.min(...pool.map((i) => options.load(i.name)));
  const candidates = pool.filter((i) => options.load(i.name) === least);
  const chosen = candidates[(options.tieBreaker ?? 0) % candidates.length]!;
  return { instance: chosen.name, kind: chosen.kind };
}
