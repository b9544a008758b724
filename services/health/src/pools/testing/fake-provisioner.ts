import { HealthService, Activity, InstanceKind, ProbeMode } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import type { PoolTemplate } from "../pool-template.js";
import { ProvisionError, type ProvisionedInstance, type Provisioner } from "../provisioner.js";

/** How a FakeProvisioner's next provisions behave. */
export interface FakeBehaviour {
  /** Fail the provision at this step, with this output. */
  readonly fail?: ProvisionError;
  /** The "process" ends before registering. */
  readonly exitBeforeRegistering?: boolean;
  /** How long the "agent" takes to register. @default 20 */
  readonly registerAfterMs?: number;
}

/**
 * A Provisioner for tests: "starts" an agent by registering it over the
 * health RPC the way `orchestrator agent` does (RegisterInstance with
 * replace, heartbeat probing, then a heartbeat reporting idle), or fails as
 * told. Records what it provisioned and stopped.
 */
export class FakeProvisioner implements Provisioner {
  readonly kind = "fake";
  readonly provisioned: string[] = [];
  readonly stopped: string[] = [];
  behaviour: FakeBehaviour = {};
  private readonly running = new Map<string, (how: string) => void>();

  /** `address`: the health service the fake agents register with (known once the server listens). */
  constructor(private readonly address: () => string) {}

  async provision(template: PoolTemplate, name: string): Promise<ProvisionedInstance> {
    this.provisioned.push(name);
    if (this.behaviour.fail) throw this.behaviour.fail;
    let exit!: (how: string) => void;
    const exited = new Promise<string>((resolve) => (exit = resolve));
    this.running.set(name, exit);
    if (this.behaviour.exitBeforeRegistering) {
      this.running.delete(name);
      setTimeout(() => exit("exit code 3"), 10);
    } else {
      void this.register(template, name).catch(() => undefined); // a test that stopped the server meanwhile
    }
    return { name, workdir: `/fake/${name}`, exited, logTail: async () => `fake agent ${name}: no credentials` };
  }

  owns(name: string): boolean {
    return this.running.has(name);
  }

  async stop(name: string): Promise<void> {
    const exit = this.running.get(name);
    if (!exit) return;
    this.running.delete(name);
    this.stopped.push(name);
    exit("signal SIGTERM");
  }

  async stopAll(): Promise<void> {
    for (const name of [...this.running.keys()]) await this.stop(name);
  }

  private async register(template: PoolTemplate, name: string): Promise<void> {
    const client = createServiceClient(HealthService, { address: this.address(), timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, this.behaviour.registerAfterMs ?? 20));
    await client.registerInstance({
      name,
      address: "127.0.0.1:9",
      kind: InstanceKind.AGENT,
      pool: template.name,
      labels: { ...template.labels },
      probeMode: ProbeMode.HEARTBEAT,
      replace: true,
    });
    await client.heartbeat({ name, activity: Activity.IDLE });
  }
}
