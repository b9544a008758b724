import type { ProbeConfig } from "@orchestrator/config";
import type { Logger } from "pino";
import type { InstanceRecord } from "../instances/instance.js";
import type { InstanceEvents } from "../instances/instance-events.js";
import type { InstanceRegistry } from "../instances/instance-registry.service.js";
import { GrpcProbe, type ProbeOutcome } from "./grpc-probe.js";
import { initialCounters, nextHealth, type ProbeCounters } from "./probe-state.js";
import { RepeatedFailureLog } from "@orchestrator/rpc";

interface Target {
  readonly address: string;
  readonly probe: GrpcProbe;
  health: InstanceRecord["health"];
  counters: ProbeCounters;
  /** Serialises this target's writes so outcomes apply in order. */
  writing: Promise<void>;
}

/**
 * Keeps one GrpcProbe per gRPC-probed instance, following the registry
 * (instance events plus a full reconcile every few intervals), and turns
 * outcomes into health transitions through the registry's compare-and-set.
 * Every replica probes every instance; the compare-and-set makes each
 * transition happen once.
 */
export class Prober {
  private readonly targets = new Map<string, Target>();
  private reconcileTimer: NodeJS.Timeout | undefined;
  private unsubscribe: Array<() => void> = [];
  private stopped = false;

  /** Failures that repeat through a database outage: one line, then summaries. */
  private readonly failures: RepeatedFailureLog;

  constructor(
    private readonly registry: InstanceRegistry,
    private readonly events: InstanceEvents,
    private readonly config: ProbeConfig,
    private readonly logger: Logger,
  ) {
    this.failures = new RepeatedFailureLog(logger);
  }

  async start(): Promise<void> {
    this.unsubscribe.push(
      this.events.subscribe(({ instance, removed }) => (removed ? this.dropInBackground(instance.name) : this.follow(instance))),
      this.events.onResync(() => this.reconcileInBackground()),
    );
    await this.reconcile();
    this.reconcileTimer = setInterval(() => this.reconcileInBackground(), Math.max(this.config.intervalMs * 10, 5000));
    this.reconcileTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.reconcileTimer);
    this.unsubscribe.forEach((u) => u());
    await Promise.all([...this.targets.keys()].map((name) => this.drop(name)));
  }

  private reconcileInBackground(): void {
    this.reconcile().catch((err: unknown) => this.failures.failed("probe reconcile", err));
  }

  private dropInBackground(name: string): void {
    this.drop(name).catch((err: unknown) => this.logger.error({ err, instance: name }, "could not stop probing"));
  }

  private async reconcile(): Promise<void> {
    try {
      const all = await this.registry.list([]);
      const names = new Set(all.map((i) => i.name));
      for (const name of this.targets.keys()) if (!names.has(name)) await this.drop(name);
      for (const instance of all) this.follow(instance);
    } catch (err) {
      if (!this.stopped) this.failures.failed("probe reconcile", err);
    }
  }

  /** Starts, restarts (new address) or stops probing per the instance's current record. */
  private follow(instance: InstanceRecord): void {
    if (this.stopped) return;
    const target = this.targets.get(instance.name);
    if (instance.probeMode !== "grpc") {
      if (target) this.dropInBackground(instance.name);
      return;
    }
    if (target && target.address === instance.address) {
      target.health = instance.health;
      return;
    }
    if (target) this.dropInBackground(instance.name);
    const next: Target = {
      address: instance.address,
      health: instance.health,
      counters: initialCounters,
      writing: Promise.resolve(),
      probe: new GrpcProbe({
        address: instance.address,
        intervalMs: this.config.intervalMs,
        timeoutMs: this.config.timeoutMs,
        onOutcome: (outcome) => this.onOutcome(instance.name, next, outcome),
      }),
    };
    this.targets.set(instance.name, next);
    next.probe.start();
  }

  private async drop(name: string): Promise<void> {
    const target = this.targets.get(name);
    if (!target) return;
    this.targets.delete(name);
    await target.probe.stop();
  }

  private onOutcome(name: string, target: Target, outcome: ProbeOutcome): void {
    const { health, counters } = nextHealth(target.health, target.counters, outcome.ok, this.config);
    target.counters = counters;
    if (health === target.health) return;
    const from = target.health;
    target.health = health;
    target.writing = target.writing.then(() => this.write(name, target, from, health, outcome.reason));
  }

  private async write(name: string, target: Target, from: InstanceRecord["health"], to: InstanceRecord["health"], reason: string) {
    try {
      const moved = await this.registry.transition(name, from, to, reason);
      if (moved) {
        this.logger.info({ instance: name, from, to, reason }, "instance health changed");
        return;
      }
      // Another replica (or a re-registration) moved it first: adopt what is stored, then retry once.
      const current = await this.registry.get(name);
      if (current.health !== to && this.targets.get(name) === target) {
        await this.registry.transition(name, current.health, to, reason);
      }
    } catch (err) {
      if (!this.stopped) this.failures.failed("recording health transitions", err, { instance: name });
    }
  }
}
