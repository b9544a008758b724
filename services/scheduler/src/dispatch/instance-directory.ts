import type { Client } from "@connectrpc/connect";
import { Activity, HealthState, InstanceKind, type HealthService, type Instance } from "@orchestrator/contracts";
import type { SelectableInstance } from "@orchestrator/selector";
import type { Logger } from "pino";
import { setTimeout as sleep } from "node:timers/promises";

/** What the scheduler knows of an instance: enough to select it and to know how to reach it. */
export interface DirectoryInstance extends SelectableInstance {
  readonly name: string;
  readonly kind: "service" | "agent";
  readonly health: SelectableInstance["health"];
}

type ChangeListener = (before: DirectoryInstance | undefined, after: DirectoryInstance | undefined) => void;

/**
 * The scheduler's live view of the health registry: one WatchHealth stream
 * per process (a snapshot, then every change), reconnected with backoff.
 * Dispatch selects instances from it without a call per task, and its
 * change events tell the scheduler when an agent went down (missed
 * heartbeats) or when an instance became healthy again (runs waiting for
 * one wake up). While disconnected the view keeps its last state.
 */
export class InstanceDirectory {
  private readonly instances = new Map<string, DirectoryInstance>();
  private readonly listeners = new Set<ChangeListener>();
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private syncedOnce = false;
  private readonly syncWaiters = new Set<() => void>();

  constructor(
    private readonly client: () => Client<typeof HealthService>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.abort = new AbortController();
    this.running = this.loop(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await this.running;
    this.running = undefined;
    for (const waiter of this.syncWaiters) waiter();
  }

  /** Every known instance, in name order (the order selectors resolve in). */
  list(): DirectoryInstance[] {
    return [...this.instances.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): DirectoryInstance | undefined {
    return this.instances.get(name);
  }

  /** Calls `listener` on every change until the returned function is called. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the first snapshot is in (or after `timeoutMs`, with what there is). */
  async synced(timeoutMs = 5000): Promise<void> {
    if (this.syncedOnce) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.syncWaiters.add(done);
    });
  }

  private markSynced(): void {
    if (this.syncedOnce) return;
    this.syncedOnce = true;
    for (const waiter of this.syncWaiters) waiter();
    this.syncWaiters.clear();
  }

  private async loop(signal: AbortSignal): Promise<void> {
    let delay = 100;
    while (!signal.aborted) {
      try {
        await this.watchOnce(signal, () => (delay = 100));
        if (!signal.aborted) this.logger.warn("health watch ended; reconnecting");
      } catch (err) {
        if (signal.aborted) return;
        this.logger.warn({ err }, "health watch failed; reconnecting");
      }
      await sleep(delay * (0.5 + Math.random()), undefined, { signal }).catch(() => undefined);
      delay = Math.min(delay * 2, 5000);
    }
  }

  private async watchOnce(signal: AbortSignal, onEvent: () => void): Promise<void> {
    const client = this.client();
    const listed = client.listInstances({}, { signal, timeoutMs: 10_000 }).then(
      (res) => new Set(res.instances.map((i) => i.name)),
      () => undefined,
    );
    const seen = new Set<string>();
    let expected: Set<string> | undefined;
    listed
      .then((names) => {
        expected = names;
        if (names && [...names].every((n) => seen.has(n))) this.markSynced();
      })
      .catch((err: unknown) => this.logger.error({ err }, "instance list failed"));
    for await (const event of client.watchHealth({ instances: [] }, { signal, timeoutMs: 0 })) {
      onEvent();
      const instance = event.instance;
      if (!instance) continue;
      seen.add(instance.name);
      this.apply(instance, event.removed);
      if (!event.snapshot || (expected && [...expected].every((n) => seen.has(n)))) this.markSynced();
    }
  }

  private apply(instance: Instance, removed: boolean): void {
    const before = this.instances.get(instance.name);
    const after = removed ? undefined : fromProto(instance);
    if (after) this.instances.set(after.name, after);
    else this.instances.delete(instance.name);
    for (const listener of this.listeners) {
      try {
        listener(before, after);
      } catch (err) {
        this.logger.error({ err }, "instance directory listener failed");
      }
    }
  }
}

function fromProto(i: Instance): DirectoryInstance {
  const health = (HealthState[i.health] ?? "UNKNOWN").toLowerCase();
  const activity = (Activity[i.activity] ?? "IDLE").toLowerCase();
  return {
    name: i.name,
    kind: i.kind === InstanceKind.AGENT ? "agent" : "service",
    pool: i.pool,
    labels: { ...i.labels },
    health: (health === "unspecified" ? "unknown" : health) as DirectoryInstance["health"],
    activity: (activity === "unspecified" ? "idle" : activity) as DirectoryInstance["activity"],
    allocatedTo: i.allocatedTo || null,
  };
}
