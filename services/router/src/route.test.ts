import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { context, SpanKind, trace } from "@opentelemetry/api";
import { rpcStatus } from "@orchestrator/contracts";
import { errorReason, pooledChannels } from "@orchestrator/rpc";
import { startInMemoryTracing } from "@orchestrator/telemetry";
import { rendezvousPick } from "@orchestrator/routing";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTE_PATHS, routePath, startRouter, type RouterFixture, type RoutePath } from "./test-support.js";

const tracing = startInMemoryTracing();
const value = (json: JsonValue) => fromJson(ValueSchema, json);
const json = (v: Parameters<typeof toJson<typeof ValueSchema>>[1] | undefined) => (v ? toJson(ValueSchema, v) : undefined);
let unique = 0;
const key = (label: string) => `${label}-${++unique}-${Date.now()}`;

async function failure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("expected the call to fail");
}

/** The attempts listed in the error's ErrorInfo metadata. */
function attemptsOf(error: ConnectError): Array<{ instance: string; code: string }> {
  const raw = error.findDetails(rpcStatus.ErrorInfoSchema)[0]?.metadata["attempts"];
  return raw ? (JSON.parse(raw) as Array<{ instance: string; code: string }>).map(({ instance, code }) => ({ instance, code })) : [];
}

/** Counts calls and cancellations of a handler, to see what the router really did. */
function counting(name: string, behaviour: "ok" | "hang" | "unavailable") {
  const seen = { calls: 0, cancelled: 0 };
  return {
    seen,
    handler: async (_req: unknown, ctx: { signal: AbortSignal }) => {
      seen.calls++;
      if (behaviour === "unavailable") throw new ConnectError(`${name} is overloaded`, Code.Unavailable);
      if (behaviour === "hang") {
        await new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true })).catch((e) => {
          seen.cancelled++;
          throw e;
        });
      }
      return { instance: name };
    },
  };
}

afterAll(() => tracing.shutdown());

// The same behaviours, whichever way the work goes: through RouterService, or with the proxyless client calling
// instances directly. Each way gets its own router, registry and workers, so no state carries over.
describe.each(ROUTE_PATHS)("through the %s", (pathName) => {
  let fx: RouterFixture;
  let path: RoutePath;
  beforeAll(async () => {
    // Ejections long enough that a loaded machine finishes the calls a test makes inside one (1.5 s).
    fx = await startRouter({ config: { outlier: { consecutiveFailures: 2, ejectionMs: 1500, maxEjectionMs: 5000 } } });
    for (const name of ["A", "B", "C"]) await fx.startWorker(name, { pool: "p1" });
    path = await routePath(fx, pathName);
  });
  afterAll(() => fx.close());
  const client = (timeoutMs?: number) => path.client(timeoutMs);
  const view = () => path.view;
  const outliers = () => path.outliers;

  describe("Route", () => {
    it("delivers the payload to a selected instance and answers its result, the instance, the attempts and the work id", async () => {
      const res = await client().route({ instances: ["A", "B"], payload: value({ data: "task" }) });
      expect(["A", "B"]).toContain(res.instance);
      expect(json(res.result)).toEqual({ instance: res.instance, echo: { data: "task" }, attempt: 1 });
      expect(res.attempts).toHaveLength(1);
      expect(res.attempts[0]).toMatchObject({ number: 1, instance: res.instance, code: "OK", message: "" });
      expect(res.workId).toMatch(/^r-/);
    });

    it("closes the pooled channel of an instance once it is removed, and opens one again when it comes back", async () => {
      const worker = await fx.startWorker("GONE", { pool: "gone" });
      const url = `http://${worker.address}`;
      await waitFor("GONE routable", async () => (await client().route({ instances: ["GONE"] })).instance === "GONE");
      expect(pooledChannels()).toContain(url);

      fx.registry.remove("GONE");
      await waitFor("GONE's channel closed", () => !pooledChannels().includes(url));

      fx.registry.set({ name: "GONE", address: worker.address, pool: "gone" });
      await waitFor("GONE routable again", async () => (await client().route({ instances: ["GONE"] }).catch(() => undefined))?.instance === "GONE");
      expect(pooledChannels()).toContain(url);
    });

    it("delivers an absent payload as JSON null", async () => {
      const res = await client().route({ instances: ["A"] });
      expect(json(res.result)).toEqual({ instance: "A", echo: null, attempt: 1 });
    });

    it("spreads sequential calls evenly (round robin among equally loaded instances)", async () => {
      const counts: Record<string, number> = {};
      for (let i = 0; i < 20; i++) {
        const res = await client().route({ instances: ["A-C"], payload: value(i) });
        counts[res.instance] = (counts[res.instance] ?? 0) + 1;
      }
      expect(Object.keys(counts).sort()).toEqual(["A", "B", "C"]);
      expect(Math.max(...Object.values(counts)) - Math.min(...Object.values(counts))).toBeLessThanOrEqual(1);
    });

    it("sends calls with the same key to the same instance, and spreads different keys", async () => {
      const first = await client().route({ instances: ["A-C"], payload: value(1), key: "user-42" });
      for (let i = 0; i < 5; i++) {
        expect((await client().route({ instances: ["A-C"], payload: value(i), key: "user-42" })).instance).toBe(first.instance);
      }
      const owners = new Set<string>();
      for (let i = 0; i < 30; i++) owners.add((await client().route({ instances: ["A-C"], payload: value(i), key: `k${i}` })).instance);
      expect(owners.size).toBe(3);
    });

    it("retries an instance that fails twice and succeeds on attempt 3", async () => {
      const k = key("fail2");
      const res = await client().route({ instances: ["A"], payload: value({ demo: { fail: 2, key: k } }) });
      expect(res.instance).toBe("A");
      expect(res.attempts.map((a) => [a.number, a.instance, a.code])).toEqual([
        [1, "A", "UNAVAILABLE"],
        [2, "A", "UNAVAILABLE"],
        [3, "A", "OK"],
      ]);
      expect(json(res.result)).toMatchObject({ attempt: 3 });
    });

    it("with max_attempts 1 fails with the last error, reason all_attempts_failed, attempts listed", async () => {
      const k = key("fail2-once");
      const err = await failure(client().route({ instances: ["B"], payload: value({ demo: { fail: 2, key: k } }), maxAttempts: 1 }));
      expect(err.code).toBe(Code.Unavailable);
      expect(errorReason(err)).toBe("all_attempts_failed");
      expect(err.rawMessage).toContain("demo failure");
      expect(err.rawMessage).toContain("all 1 attempts failed");
      expect(attemptsOf(err)).toEqual([{ instance: "B", code: "UNAVAILABLE" }]);
    });

    it("passes a non-retryable error through after one attempt (reason instance_error)", async () => {
      const k = key("invalid");
      const err = await failure(client().route({ instances: ["A"], payload: value({ demo: { fail: 1, key: k, code: "invalid_argument" } }) }));
      expect(err.code).toBe(Code.InvalidArgument);
      expect(errorReason(err)).toBe("instance_error");
      expect(err.rawMessage).toContain('instance "A"');
    });

    it("names unknown instances and selectors that match nothing", async () => {
      const unknown = await failure(client().route({ instances: ["Z"], payload: value(1) }));
      expect(unknown.code).toBe(Code.NotFound);
      expect(errorReason(unknown)).toBe("unknown_instance");
      expect(unknown.rawMessage).toContain('"Z"');
      const none = await failure(client().route({ instances: ["nothing-*"], payload: value(1) }));
      expect(none.code).toBe(Code.NotFound);
      expect(errorReason(none)).toBe("no_match");
      expect(none.rawMessage).toContain("nothing-*");
    });

    it("answers the caller's trace id, and the trace reaches the instance", async () => {
      const root = trace.getTracer("test").startSpan("caller");
      const res = await context.with(trace.setSpan(context.active(), root), () => client().route({ instances: ["A"], payload: value(1) }));
      root.end();
      const traceId = root.spanContext().traceId;
      expect(res.traceId).toBe(traceId);
      await waitFor("the worker's server span in the caller's trace", () =>
        tracing.spans().some((s) => s.spanContext().traceId === traceId && s.name === "orchestrator.worker.v1.WorkerService/Execute" && s.kind === SpanKind.SERVER),
      );
    });
  });

  describe("Route health awareness and failover", () => {
    it("never routes to an instance the health service reports down; fails fast with instance_down when it is the only one and fallback is off", async () => {
      await fx.startWorker("D1", { pool: "p2" });
      await fx.startWorker("D2", { pool: "p2" });
      fx.registry.setHealth("D1", "down");
      await waitFor("view sees D1 down", () => view().get("D1")?.health === "down");
      for (let i = 0; i < 6; i++) expect((await client().route({ instances: ["D1", "D2"], payload: value(i) })).instance).toBe("D2");

      const err = await failure(client().route({ instances: ["D1"], payload: value(1), fallback: "none" }));
      expect(err.code).toBe(Code.Unavailable);
      expect(errorReason(err)).toBe("instance_down");

      const fallback = await client().route({ instances: ["D1"], payload: value(1) });
      expect(fallback.instance).toBe("D2");
      fx.registry.setHealth("D1", "healthy");
    });

    it("an instance killed before the health service noticed: the next attempt goes to a healthy pool-mate, or fails fast with instance_down and the attempts", async () => {
      const k1 = await fx.startWorker("K1", { pool: "p3" });
      await fx.startWorker("K2", { pool: "p3" });
      await waitFor("view sees K1, K2", () => view().get("K1") && view().get("K2"));
      await k1.close(); // the fake registry still says healthy

      const served = await client().route({ instances: ["K1"], payload: value("x") });
      expect(served.instance).toBe("K2");
      expect(served.attempts.map((a) => [a.instance, a.code])).toEqual([
        ["K1", "UNAVAILABLE"],
        ["K2", "OK"],
      ]);

      const err = await failure(client().route({ instances: ["K1"], payload: value("x"), fallback: "none" }));
      expect(err.code).toBe(Code.Unavailable);
      expect(errorReason(err)).toBe("instance_down");
      // The first call marked K1 unreachable: this one fails before calling it again.
      expect(attemptsOf(err)).toEqual([]);
    });

    it("retries a hanging instance's per-attempt timeout on another instance, cancelling it on the instance", async () => {
      const hang = counting("HANG", "hang");
      await fx.startWorker("HANG", { pool: "p4", handler: hang.handler });
      await fx.startWorker("OK4", { pool: "p4" });
      await waitFor("view sees HANG, OK4", () => view().get("HANG") && view().get("OK4"));
      // OK4's connection is opened first, so its answer is not raced against the 200 ms attempt timeout on a busy machine.
      expect((await client().route({ instances: ["OK4"] })).instance).toBe("OK4");
      // A key rendezvous hashing gives to HANG, so the first attempt goes there.
      let k = "";
      for (let i = 0; !k; i++) if (rendezvousPick(`h${i}`, [{ name: "HANG" }, { name: "OK4" }])?.name === "HANG") k = `h${i}`;
      const res = await client().route({ instances: ["HANG", "OK4"], payload: value(1), key: k, attemptTimeout: { nanos: 200_000_000 } });
      expect(res.instance).toBe("OK4");
      expect(res.attempts.map((a) => [a.instance, a.code])).toEqual([
        ["HANG", "DEADLINE_EXCEEDED"],
        ["OK4", "OK"],
      ]);
      await waitFor("HANG saw the cancellation", () => hang.seen.cancelled === 1);
    });

    it("honours the overall timeout and the caller's deadline, cancelling the work on the instance", async () => {
      const hang = counting("HANG2", "hang");
      await fx.startWorker("HANG2", { pool: "p5", handler: hang.handler });
      await waitFor("view sees HANG2", () => view().get("HANG2"));
      const started = Date.now();
      const err = await failure(client().route({ instances: ["HANG2"], payload: value(1), timeout: { nanos: 300_000_000 } }));
      expect(err.code).toBe(Code.DeadlineExceeded);
      expect(errorReason(err)).toBe("deadline_exceeded");
      expect(Date.now() - started).toBeLessThan(5000);
      await waitFor("HANG2 saw the first cancellation", () => hang.seen.cancelled === 1);

      const callerErr = await failure(client(400).route({ instances: ["HANG2"], payload: value(1) }));
      expect(callerErr.code).toBe(Code.DeadlineExceeded);
      await waitFor("HANG2 saw the second cancellation", () => hang.seen.cancelled === 2);
    });

    it("ejects an instance that keeps failing, routes around it, then probes it back", async () => {
      const bad = counting("BAD", "unavailable");
      await fx.startWorker("BAD", { pool: "p6", handler: bad.handler });
      await fx.startWorker("GOOD", { pool: "p6" });
      await waitFor("view sees BAD, GOOD", () => view().get("BAD") && view().get("GOOD"));
      for (let i = 0; i < 6 && !outliers().ejected("BAD"); i++) {
        expect((await client().route({ instances: ["BAD", "GOOD"], payload: value(i) })).instance).toBe("GOOD");
      }
      expect(outliers().ejected("BAD")).toBe(true);
      const callsWhenEjected = bad.seen.calls;
      expect(callsWhenEjected).toBe(2);
      for (let i = 0; i < 5; i++) {
        const res = await client().route({ instances: ["BAD", "GOOD"], payload: value(i) });
        expect(res.attempts.map((a) => a.instance)).toEqual(["GOOD"]);
      }
      expect(bad.seen.calls).toBe(callsWhenEjected);

      await waitFor("the ejection to end", () => !outliers().ejected("BAD"));
      for (let i = 0; i < 4; i++) await client().route({ instances: ["BAD", "GOOD"], payload: value(i) });
      expect(bad.seen.calls).toBe(callsWhenEjected + 1); // one probe, failed: ejected again
      expect(outliers().ejected("BAD")).toBe(true);
    });

    it("routes to an ejected instance when nothing else is left (panic routing)", async () => {
      const flaky = counting("ONLY", "unavailable");
      await fx.startWorker("ONLY", { pool: "p7", handler: flaky.handler });
      await waitFor("view sees ONLY", () => view().get("ONLY"));
      await failure(client().route({ instances: ["ONLY"], payload: value(1) }));
      expect(outliers().ejected("ONLY")).toBe(true);
      const calls = flaky.seen.calls;
      const err = await failure(client().route({ instances: ["ONLY"], payload: value(1), maxAttempts: 1 }));
      expect(errorReason(err)).toBe("all_attempts_failed");
      expect(flaky.seen.calls).toBe(calls + 1);
    });
  });
});
