import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  Activity,
  HealthService,
  HealthState,
  InstanceKind,
  InstanceSchema,
  ListInstancesResponseSchema,
  WatchHealthResponseSchema,
  type Instance,
  type WatchHealthResponse,
} from "@orchestrator/contracts";
import { pushable, type Pushable } from "it-pushable";

/** A health state the fake registry can report. */
export type FakeHealthName = "unknown" | "healthy" | "degraded" | "down";
const HEALTH: Record<FakeHealthName, HealthState> = {
  unknown: HealthState.UNKNOWN,
  healthy: HealthState.HEALTHY,
  degraded: HealthState.DEGRADED,
  down: HealthState.DOWN,
};

/**
 * A stand-in for the health service (a service never imports another one,
 * not even in tests; libs test against it too): an in-memory registry whose WatchHealth and
 * ListInstances behave like the real ones (snapshot then changes), driven
 * by the test. For tests only.
 */
export class FakeHealthRegistry {
  private readonly instances = new Map<string, Instance>();
  private readonly watchers = new Set<Pushable<WatchHealthResponse>>();
  /** WatchHealth calls received (reconnects show up here). */
  watchCalls = 0;
  /** ListInstances calls received. */
  listCalls = 0;

  /** Registers or replaces an instance (healthy, pool "default", kind service unless given). */
  set(i: { name: string; address: string; pool?: string; health?: FakeHealthName; kind?: "service" | "agent"; labels?: Record<string, string> }): void {
    const previous = this.instances.get(i.name);
    const instance = create(InstanceSchema, {
      name: i.name,
      address: i.address,
      pool: i.pool ?? "default",
      health: HEALTH[i.health ?? "healthy"],
      kind: i.kind === "agent" ? InstanceKind.AGENT : InstanceKind.SERVICE,
      activity: Activity.IDLE,
      labels: i.labels ?? {},
    });
    this.instances.set(i.name, instance);
    this.emit(instance, previous?.health ?? HealthState.UNSPECIFIED, false);
  }

  setHealth(name: string, health: FakeHealthName): void {
    const current = this.instances.get(name);
    if (!current) throw new Error(`no instance ${name}`);
    const next = create(InstanceSchema, { ...current, health: HEALTH[health] });
    this.instances.set(name, next);
    this.emit(next, current.health, false);
  }

  remove(name: string): void {
    const current = this.instances.get(name);
    if (!current) return;
    this.instances.delete(name);
    this.emit(current, current.health, true);
  }

  /** Ends every open watch stream with an error (followers must reconnect). */
  breakWatches(): void {
    for (const w of this.watchers) w.end(new Error("watch broken by test"));
    this.watchers.clear();
  }

  /** The fake HealthService (ListInstances, WatchHealth) as a module `startServer` hosts. */
  module(): { readonly serviceNames: readonly string[]; register(router: ConnectRouter): void } {
    return {
      serviceNames: [HealthService.typeName],
      register: (router) => {
        router.service(HealthService, {
          listInstances: () => {
            this.listCalls++;
            return create(ListInstancesResponseSchema, { instances: [...this.instances.values()] });
          },
          watchHealth: (_req, ctx) => this.watch(ctx.signal),
        });
      },
    };
  }

  private async *watch(signal: AbortSignal): AsyncGenerator<WatchHealthResponse> {
    this.watchCalls++;
    const queue = pushable<WatchHealthResponse>({ objectMode: true });
    this.watchers.add(queue);
    signal.addEventListener("abort", () => queue.end(), { once: true });
    try {
      for (const instance of this.instances.values()) yield create(WatchHealthResponseSchema, { instance, snapshot: true });
      yield* queue;
    } finally {
      this.watchers.delete(queue);
    }
  }

  private emit(instance: Instance, previousHealth: HealthState, removed: boolean): void {
    for (const w of this.watchers) w.push(create(WatchHealthResponseSchema, { instance, previousHealth, removed }));
  }
}
