import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  Activity,
  AllocateInstanceResponseSchema,
  GetInstanceResponseSchema,
  HealthService,
  HealthState,
  InstanceKind,
  InstanceSchema,
  ListInstancesResponseSchema,
  ReleaseInstanceResponseSchema,
  WatchHealthResponseSchema,
  type Instance,
  type WatchHealthResponse,
} from "@orchestrator/contracts";
import type { ServiceModule } from "@orchestrator/rpc";
import { resolveSelectors, type SelectableInstance } from "@orchestrator/selector";

/** An instance the fake registry knows; unset fields: a healthy idle service in pool "default". */
export interface FakeInstance {
  readonly name: string;
  readonly kind?: "service" | "agent";
  readonly pool?: string;
  readonly labels?: Record<string, string>;
  readonly health?: SelectableInstance["health"];
}

/** A HealthService serving ListInstances, GetInstance, WatchHealth and Allocate/ReleaseInstance from a list the test controls. For tests only. */
export interface FakeHealthModule extends ServiceModule {
  /** Adds or replaces instances; watchers see the change. */
  upsert(...instances: FakeInstance[]): void;
  /** Changes an instance's health; watchers see the change. */
  setHealth(name: string, health: SelectableInstance["health"]): void;
  /** Holders by instance, from AllocateInstance (released ones removed). */
  readonly allocations: Map<string, string>;
  /** Makes the next AllocateInstance calls answer `provisioned` (as if the pool grew). */
  provisioning: boolean;
  /** The address every service instance is reported at (the fakes' own server, which serves WorkerService/Execute for all of them). */
  address: string;
}

const toProto = (i: FakeInstance, address: string): Instance =>
  create(InstanceSchema, {
    name: i.name,
    address,
    kind: i.kind === "agent" ? InstanceKind.AGENT : InstanceKind.SERVICE,
    pool: i.pool ?? "default",
    labels: { ...i.labels },
    health: HealthState[(i.health ?? "healthy").toUpperCase() as keyof typeof HealthState],
    activity: Activity.IDLE,
  });

/** A stand-in for the health service, with the real selector semantics. */
export function createFakeHealthModule(initial: readonly FakeInstance[] = []): FakeHealthModule {
  const instances = new Map<string, FakeInstance>(initial.map((i) => [i.name, i]));
  const allocations = new Map<string, string>();
  const watchers = new Set<(ev: WatchHealthResponse) => void>();
  const selectable = () =>
    [...instances.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((i) => ({ ...i, pool: i.pool ?? "default", labels: i.labels ?? {}, health: i.health ?? "healthy", activity: "idle" as const }));
  const emit = (i: FakeInstance) => {
    const ev = create(WatchHealthResponseSchema, { instance: toProto(i, module.address), snapshot: false });
    for (const w of watchers) w(ev);
  };
  const module: FakeHealthModule = {
    allocations,
    provisioning: false,
    address: "",
    serviceNames: [HealthService.typeName],
    upsert(...list) {
      for (const i of list) {
        instances.set(i.name, i);
        emit(i);
      }
    },
    setHealth(name, health) {
      const i = { ...instances.get(name)!, health };
      instances.set(name, i);
      emit(i);
    },
    register(router) {
      router.service(HealthService, {
        async listInstances(req) {
          const all = selectable();
          const selected = req.selectors.length === 0 ? all : resolveSelectors(req.selectors, all);
          return create(ListInstancesResponseSchema, { instances: selected.map((i) => toProto(i, module.address)) });
        },
        async getInstance(req) {
          const i = instances.get(req.name);
          if (!i) throw new ConnectError(`instance "${req.name}" not found`, Code.NotFound);
          return create(GetInstanceResponseSchema, { instance: toProto(i, module.address) });
        },
        async allocateInstance(req) {
          const free = selectable().find((i) => i.pool === req.pool && i.health === "healthy" && !allocations.has(i.name));
          if (!free) throw new ConnectError(`no idle healthy instance in pool "${req.pool}"`, Code.ResourceExhausted);
          allocations.set(free.name, req.holder);
          return create(AllocateInstanceResponseSchema, { instance: { ...toProto(free, module.address), allocatedTo: req.holder }, provisioned: module.provisioning });
        },
        async releaseInstance(req) {
          const i = instances.get(req.name);
          if (!i) throw new ConnectError(`instance "${req.name}" not found`, Code.NotFound);
          if (!allocations.has(req.name) || (req.holder && allocations.get(req.name) !== req.holder)) {
            throw new ConnectError(`instance "${req.name}" is not allocated to "${req.holder}"`, Code.FailedPrecondition);
          }
          allocations.delete(req.name);
          return create(ReleaseInstanceResponseSchema, { instance: toProto(i, module.address) });
        },
        async *watchHealth(_req, ctx) {
          const queue: WatchHealthResponse[] = [...instances.values()].map((i) => create(WatchHealthResponseSchema, { instance: toProto(i, module.address), snapshot: true }));
          let wake: (() => void) | undefined;
          const watcher = (ev: WatchHealthResponse) => {
            queue.push(ev);
            wake?.();
          };
          watchers.add(watcher);
          ctx.signal.addEventListener("abort", () => wake?.());
          try {
            while (!ctx.signal.aborted) {
              while (queue.length > 0) yield queue.shift()!;
              await new Promise<void>((r) => (wake = r));
            }
          } finally {
            watchers.delete(watcher);
          }
        },
      });
    },
  };
  return module;
}
