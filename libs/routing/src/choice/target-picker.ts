import type { InstanceView } from "../instances/instance-view.js";
import type { RoutableInstance } from "../instances/routable-instance.js";
import type { Balancer } from "./balancer.js";
import type { OutlierDetector } from "./outlier-detector.js";

/** Where a piece of work may go: the selected instances, and whether their pools may stand in. */
export interface Selection {
  /** Names the selectors resolved to, in order. */
  readonly names: readonly string[];
  /** `pool`: when no selected instance can serve, healthy instances of their pools may. */
  readonly fallback: "pool" | "none";
  /** Consistent-hashing key; empty for least outstanding requests. */
  readonly key: string;
}

/**
 * Chooses the instance for each attempt, health-aware, from the current
 * view (health can change between attempts):
 *
 * 1. selected instances that are healthy, then degraded ones;
 * 2. with fallback `pool`, healthy (then degraded) instances of the
 *    selected instances' pools;
 *
 * skipping agents, instances the health service reports down or unknown,
 * and instances a connection just failed to. Within the first non-empty
 * tier it prefers instances not yet tried in this delivery, then instances
 * the outlier detector has not ejected (all of them if every one is: panic
 * routing), and lets the balancer choose.
 */
export class TargetPicker {
  constructor(
    private readonly view: InstanceView,
    private readonly balancer: Balancer,
    private readonly outliers: OutlierDetector,
  ) {}

  pick(selection: Selection, tried: ReadonlySet<string>): RoutableInstance | undefined {
    const tier = this.firstTier(selection);
    if (tier.length === 0) return undefined;
    const untried = tried.size > 0 ? tier.filter((i) => !tried.has(i.name)) : tier;
    const fresh = untried.length > 0 ? untried : tier;
    const available = fresh.filter((i) => this.outliers.available(i.name));
    return this.balancer.pick(available.length > 0 ? available : fresh, selection.key || undefined);
  }

  /** Whether `instance` can take work now, as far as health and the last connection tell. */
  routable(instance: RoutableInstance | undefined): instance is RoutableInstance {
    return (
      instance !== undefined &&
      instance.kind === "service" &&
      (instance.health === "healthy" || instance.health === "degraded") &&
      !this.outliers.unreachable(instance.name)
    );
  }

  /** Why an instance cannot take work now: `deregistered`, `agent`, `unreachable` or its health; `healthy` when it can. */
  condition(name: string): string {
    const instance = this.view.get(name);
    if (!instance) return "deregistered";
    if (instance.kind === "agent") return "agent";
    if (this.outliers.unreachable(name)) return "unreachable";
    return instance.health;
  }

  private firstTier(selection: Selection): RoutableInstance[] {
    const selected: RoutableInstance[] = [];
    for (const name of selection.names) {
      const instance = this.view.get(name);
      if (this.routable(instance)) selected.push(instance);
    }
    const best = preferHealthy(selected);
    if (best.length > 0 || selection.fallback === "none") return best;
    const names = new Set(selection.names);
    const pools = new Set<string>();
    for (const name of selection.names) {
      const pool = this.view.get(name)?.pool;
      if (pool !== undefined) pools.add(pool);
    }
    const mates = this.view.list().filter((i) => pools.has(i.pool) && !names.has(i.name) && this.routable(i));
    return preferHealthy(mates);
  }
}

/** The healthy ones if any, else the degraded ones. */
function preferHealthy(instances: RoutableInstance[]): RoutableInstance[] {
  const healthy = instances.filter((i) => i.health === "healthy");
  return healthy.length > 0 ? healthy : instances;
}
