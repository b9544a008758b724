import { create } from "@bufbuild/protobuf";
import { Activity, HealthService, HealthState, InstanceSchema, ListInstancesResponseSchema } from "@orchestrator/contracts";
import type { ServiceModule } from "@orchestrator/rpc";
import { resolveSelectors, type SelectableInstance } from "@orchestrator/selector";

/** An instance the fake registry knows; unset fields default to a healthy idle member of pool "default". */
export interface FakeInstance {
  readonly name: string;
  readonly pool?: string;
  readonly labels?: Record<string, string>;
  readonly health?: SelectableInstance["health"];
  readonly activity?: SelectableInstance["activity"];
}

/** A HealthService serving only ListInstances from a list the test controls; for tests only. */
export interface FakeHealthModule extends ServiceModule {
  /** Replaces the registered instances. */
  setInstances(instances: readonly FakeInstance[]): void;
  /** ListInstances calls answered so far. */
  readonly calls: () => number;
}

/**
 * A stand-in for the health service with the real selector semantics
 * (`resolveSelectors` from libs/selector), so the mailbox's group resolution
 * is tested over its gRPC contract without importing another service.
 */
export function createFakeHealthModule(initial: readonly FakeInstance[] = []): FakeHealthModule {
  let instances: SelectableInstance[] = [];
  let calls = 0;
  const set = (list: readonly FakeInstance[]) => {
    instances = list
      .map((i) => ({ name: i.name, pool: i.pool ?? "default", labels: i.labels ?? {}, health: i.health ?? "healthy", activity: i.activity ?? "idle" }))
      .sort((a, b) => a.name.localeCompare(b.name));
  };
  set(initial);
  return {
    serviceNames: [HealthService.typeName],
    setInstances: set,
    calls: () => calls,
    register(router) {
      router.service(HealthService, {
        async listInstances(req) {
          calls += 1;
          const selected = req.selectors.length === 0 ? instances : resolveSelectors(req.selectors, instances);
          return create(ListInstancesResponseSchema, {
            instances: selected.map((i) =>
              create(InstanceSchema, {
                name: i.name,
                pool: i.pool,
                labels: { ...i.labels },
                health: HealthState[i.health.toUpperCase() as keyof typeof HealthState],
                activity: Activity[i.activity.toUpperCase() as keyof typeof Activity],
              }),
            ),
          });
        },
      });
    },
  };
}
