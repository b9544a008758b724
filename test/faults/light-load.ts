import { Code, ConnectError } from "@connectrpc/connect";
import { HealthService, MailboxService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import type { Fleet } from "../topology/start-fleet.js";

/** What the light load saw. */
export interface LoadReport {
  /** Calls by code name. */
  readonly codes: ReadonlyMap<string, number>;
  /** First and last failed call (ms since epoch), if any failed. */
  readonly firstFailure: number | undefined;
  readonly lastFailure: number | undefined;
  /** Messages whose Send answered OK: handle → message id. */
  readonly sent: ReadonlyMap<string, string>;
  /** Sends that failed: their handles (a failed Send must not have delivered twice). */
  readonly unsent: readonly string[];
  /** The first message seen for each failing code, to say why. */
  readonly samples: ReadonlyMap<string, string>;
}

/** A running light load; see startLightLoad. */
export interface LightLoad {
  /** OK calls so far. */
  oks(): number;
  stop(): Promise<LoadReport>;
}

/**
 * Light load through the fleet's Services, one step every `everyMs`: a
 * CheckHealth (idempotent: the client retries UNAVAILABLE) and a Send to a
 * handle of its own (not idempotent: never retried). Records the code of
 * every call, so a scenario can say what callers saw.
 */
export function startLightLoad(fleet: Fleet, prefix: string, everyMs = 100): LightLoad {
  const health = createServiceClient(HealthService, { address: fleet.address("health"), apiKey: fleet.apiKey, timeoutMs: 10_000 });
  const mailbox = createServiceClient(MailboxService, { address: fleet.address("mailbox"), apiKey: fleet.apiKey, timeoutMs: 10_000 });
  const codes = new Map<string, number>();
  const sent = new Map<string, string>();
  const unsent: string[] = [];
  const samples = new Map<string, string>();
  let firstFailure: number | undefined;
  let lastFailure: number | undefined;
  let stopped = false;
  let ok = 0;
  const record = async (call: () => Promise<unknown>): Promise<unknown> => {
    try {
      const res = await call();
      codes.set("OK", (codes.get("OK") ?? 0) + 1);
      ok++;
      return res;
    } catch (err) {
      const name = Code[ConnectError.from(err).code]!.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
      codes.set(name, (codes.get(name) ?? 0) + 1);
      if (!samples.has(name)) samples.set(name, ConnectError.from(err).message.slice(0, 200));
      const now = Date.now();
      firstFailure ??= now;
      lastFailure = now;
      return undefined;
    }
  };
  const loop = (async () => {
    for (let i = 0; !stopped; i++) {
      const handle = `${prefix}-${i}`;
      const step = Date.now();
      await record(() => health.checkHealth({ instances: ["@all"] }));
      const res = (await record(() => mailbox.send({ to: handle, from: "faults", type: "status", subject: `load ${i}` }))) as { messages: Array<{ id: string }> } | undefined;
      if (res) sent.set(handle, res.messages[0]!.id);
      else unsent.push(handle);
      const left = everyMs - (Date.now() - step);
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    }
  })();
  return {
    oks: () => ok,
    async stop() {
      stopped = true;
      await loop;
      return { codes, firstFailure, lastFailure, sent, unsent, samples };
    },
  };
}

/** `OK 212, UNAVAILABLE 31`, most frequent first. */
export function formatCodes(codes: ReadonlyMap<string, number>): string {
  return [...codes].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(", ");
}
