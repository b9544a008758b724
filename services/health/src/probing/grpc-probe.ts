import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { grpcHealth } from "@orchestrator/contracts";

/** One probe outcome: reachable and SERVING, or not, and why. */
export interface ProbeOutcome {
  readonly ok: boolean;
  readonly reason: string;
}

export interface GrpcProbeOptions {
  readonly address: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Called with every outcome, in order. */
  readonly onOutcome: (outcome: ProbeOutcome) => void;
}

const { HealthCheckResponse_ServingStatus: ServingStatus } = grpcHealth;

/**
 * Probes one instance with grpc.health.v1 until stopped, with two loops:
 * a Watch stream where the instance supports it (a status change or a dead
 * connection is seen at once; reconnected one interval after a failure), and
 * a Check every interval with a deadline, which catches a hung process that
 * keeps its socket open (Watch alone stays silent then). HTTP/2 keepalive
 * pings would do the latter more cheaply, but connect-node 2.1 lets ping
 * failures escape as uncaught errors (connectrpc/connect-es#1795), which
 * would take the control plane down.
 */
export class GrpcProbe {
  private readonly abort = new AbortController();
  private readonly client: Client<typeof grpcHealth.Health>;
  /** "check" once the instance answered Watch with UNIMPLEMENTED. */
  private mode: "watch" | "check" = "watch";
  private done: Promise<void> | undefined;

  constructor(private readonly options: GrpcProbeOptions) {
    const transport = createGrpcTransport({ baseUrl: `http://${options.address}`, idleConnectionTimeoutMs: 60_000 });
    this.client = createClient(grpcHealth.Health, transport);
  }

  start(): void {
    this.done ??= this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
  }

  private async loop(): Promise<void> {
    await Promise.all([this.watchLoop(this.abort.signal), this.checkLoop(this.abort.signal)]);
  }

  private async watchLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted && this.mode === "watch") {
      await this.watchOnce(signal);
      await sleep(this.options.intervalMs, signal);
    }
  }

  private async checkLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.checkOnce(signal);
      await sleep(this.options.intervalMs, signal);
    }
  }

  private async watchOnce(signal: AbortSignal): Promise<void> {
    try {
      for await (const res of this.client.watch({ service: "" }, { signal, timeoutMs: 0 })) {
        this.report(res.status === ServingStatus.SERVING, `status ${ServingStatus[res.status]}`);
      }
      if (!signal.aborted) this.report(false, "health watch ended");
    } catch (err) {
      if (signal.aborted) return;
      const e = ConnectError.from(err);
      if (e.code === Code.Unimplemented) {
        this.mode = "check"; // the Check loop alone carries on
        return;
      }
      this.report(false, e.rawMessage);
    }
  }

  private async checkOnce(signal: AbortSignal): Promise<void> {
    try {
      const res = await this.client.check({ service: "" }, { signal, timeoutMs: this.options.timeoutMs });
      this.report(res.status === ServingStatus.SERVING, `status ${ServingStatus[res.status]}`);
    } catch (err) {
      if (!signal.aborted) this.report(false, ConnectError.from(err).rawMessage);
    }
  }

  private report(ok: boolean, reason: string): void {
    if (!this.abort.signal.aborted) this.options.onOutcome({ ok, reason: `probe: ${reason}` });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
