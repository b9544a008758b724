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
 * Probes one instance with grpc.health.v1 until stopped: a Watch stream
 * where the instance supports it (changes arrive at once, and HTTP/2 pings
 * every interval catch a hung process), periodic Check where Watch is
 * UNIMPLEMENTED. Every failure is reported, then retried after one interval.
 */
export class GrpcProbe {
  private readonly abort = new AbortController();
  private readonly client: Client<typeof grpcHealth.Health>;
  private mode: "watch" | "check" = "watch";
  private done: Promise<void> | undefined;

  constructor(private readonly options: GrpcProbeOptions) {
    const transport = createGrpcTransport({
      baseUrl: `http://${options.address}`,
      pingIntervalMs: options.intervalMs,
      pingTimeoutMs: options.timeoutMs,
      pingIdleConnection: true,
      idleConnectionTimeoutMs: 60_000,
    });
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
    const signal = this.abort.signal;
    while (!signal.aborted) {
      if (this.mode === "watch") await this.watchOnce(signal);
      else await this.checkOnce(signal);
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
        this.mode = "check";
        await this.checkOnce(signal);
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
