import type { Client } from "@connectrpc/connect";
import type { HealthService } from "@orchestrator/contracts";
import { ExponentialBackoff, type IBackoff } from "cockatiel";
import type { Logger } from "pino";
import { setTimeout as sleep } from "node:timers/promises";
import { instanceFromProto } from "./instance-from-proto.js";
import type { InstanceView } from "./instance-view.js";

/** Options of HealthFeed. */
export interface HealthFeedOptions {
  /** A HealthService client without a default deadline (the watch is long-lived). */
  readonly client: () => Client<typeof HealthService>;
  readonly view: InstanceView;
  readonly logger: Logger;
  /** First reconnect delay; doubles with jitter up to maxBackoffMs. @default 100 */
  readonly initialBackoffMs?: number;
  /** @default 5000 */
  readonly maxBackoffMs?: number;
}

/**
 * Keeps an InstanceView in step with the health service: one WatchHealth
 * stream for every instance, reconnected with exponential backoff and jitter
 * when it breaks. The stream sends a snapshot then every change; since the
 * snapshot has no end marker, the view counts as synced once every instance
 * a ListInstances made alongside returned has been seen on the stream, or
 * at the first change event. While disconnected the view keeps its last
 * state (stale beats empty: routing goes on, and failed calls still eject).
 */
export class HealthFeed {
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: HealthFeedOptions) {}

  start(): void {
    if (this.running) return;
    this.abort = new AbortController();
    this.running = this.loop(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await this.running;
    this.running = undefined;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const { logger } = this.options;
    const factory = new ExponentialBackoff({ initialDelay: this.options.initialBackoffMs ?? 100, maxDelay: this.options.maxBackoffMs ?? 5000 });
    let backoff: IBackoff<unknown> | undefined;
    while (!signal.aborted) {
      let received = false;
      try {
        await this.watchOnce(signal, () => {
          received = true;
          backoff = undefined;
        });
        if (!signal.aborted) logger.warn("health watch ended; reconnecting");
      } catch (err) {
        if (signal.aborted) return;
        logger.warn({ err, received }, "health watch failed; reconnecting");
      }
      backoff = backoff ? backoff.next(undefined) : factory.next();
      await sleep(backoff.duration, undefined, { signal }).catch(() => undefined);
    }
  }

  private async watchOnce(signal: AbortSignal, onEvent: () => void): Promise<void> {
    const { view } = this.options;
    const client = this.options.client();
    const call = new AbortController();
    const stop = () => call.abort();
    signal.addEventListener("abort", stop, { once: true });
    const seen = new Set<string>();
    let expected: ReadonlySet<string> | undefined;
    let synced = false;
    const sync = () => {
      if (synced) return;
      synced = true;
      view.markSynced(seen);
    };
    const maybeSynced = () => {
      if (expected && [...expected].every((name) => seen.has(name))) sync();
    };
    try {
      const stream = client.watchHealth({ instances: [] }, { signal: call.signal, timeoutMs: 0 });
      client.listInstances({}, { signal: call.signal, timeoutMs: 10_000 }).then(
        (res) => {
          expected = new Set(res.instances.map((i) => i.name));
          maybeSynced();
        },
        () => undefined, // synced by the first change event instead
      );
      for await (const event of stream) {
        onEvent();
        const instance = event.instance;
        if (!instance) continue;
        seen.add(instance.name);
        if (event.removed) view.remove(instance.name);
        else view.upsert(instanceFromProto(instance));
        if (!event.snapshot) sync();
        else if (!synced) maybeSynced();
      }
    } finally {
      signal.removeEventListener("abort", stop);
      call.abort();
    }
  }
}
