import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema, type Value } from "@bufbuild/protobuf/wkt";
import { ResultStatus } from "@orchestrator/contracts";
import { waitFor } from "@orchestrator/testing";
import { demoStats, type WorkHandler } from "@orchestrator/worker";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTE_PATHS, routePath, startRouter, type RouterFixture, type RoutePath } from "./test-support.js";

const value = (json: JsonValue) => fromJson(ValueSchema, json);
const json = (v: Value | undefined) => (v ? toJson(ValueSchema, v) : undefined);

// The same behaviours through RouterService and with the proxyless client calling the instances directly,
// each with its own router, registry and workers.
describe.each(ROUTE_PATHS)("through the %s", (pathName) => {
  let fx: RouterFixture;
  let path: RoutePath;
  beforeAll(async () => {
    fx = await startRouter();
    for (const name of ["F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8"]) await fx.startWorker(name, { pool: "fan" });
    path = await routePath(fx, pathName);
    await waitFor("view sees F1-F8", () => path.view.list().length >= 8);
  });
  afterAll(() => fx.close());
  const client = () => path.client();
  const view = () => path.view;

  describe("Fanout", () => {
    it("aggregate all: every target's result in target order, the list as the aggregate", async () => {
      const res = await client().fanout({ targets: ["F1..3"], payload: value({ data: "q" }), aggregate: "all" });
      expect(res.results.map((r) => [r.instance, r.status, r.code])).toEqual([
        ["F1", ResultStatus.OK, "OK"],
        ["F2", ResultStatus.OK, "OK"],
        ["F3", ResultStatus.OK, "OK"],
      ]);
      expect(json(res.results[1]!.result)).toEqual({ instance: "F2", echo: { data: "q" }, attempt: 1 });
      expect(res.summary).toMatchObject({ aggregate: "all", satisfied: true, timedOut: false, succeeded: 3, failed: 0 });
      expect((json(res.summary!.result) as unknown[]).map((r) => (r as { instance: string }).instance)).toEqual(["F1", "F2", "F3"]);
    });

    it("a hanging and a dead instance: returns within the timeout with six results and two per-instance errors, cancelling the hung call", async () => {
      const before = demoStats().cancelled;
      const dead = await fx.startWorker("DEAD", { pool: "fan" });
      await waitFor("view sees DEAD", () => view().get("DEAD"));
      await dead.close(); // still healthy in the registry: the call finds out
      // The deadline cuts the hung call (TIMEOUT, summary timedOut); it is long enough for six echoes on a loaded machine.
      const res = await client().fanout({
        targets: ["F1..6", "F7", "DEAD"],
        payload: value({ data: 1 }),
        payloads: { F7: value({ demo: { hang: true } }) },
        timeout: { seconds: 5n },
      });
      expect(res.results).toHaveLength(8);
      expect(res.results.filter((r) => r.status === ResultStatus.OK)).toHaveLength(6);
      const byName = Object.fromEntries(res.results.map((r) => [r.instance, r]));
      expect(byName.F7).toMatchObject({ status: ResultStatus.TIMEOUT, code: "DEADLINE_EXCEEDED", reason: "timeout" });
      expect(byName.DEAD).toMatchObject({ status: ResultStatus.ERROR, code: "UNAVAILABLE" });
      expect(res.summary).toMatchObject({ timedOut: true, satisfied: false, succeeded: 6 });
      await waitFor("the hung call cancelled on the instance", () => demoStats().cancelled === before + 1);
    });

    it("does not call an instance the health service reports down", async () => {
      const down = await fx.startWorker("DOWN1", { pool: "fan" });
      fx.registry.setHealth("DOWN1", "down");
      await waitFor("view sees DOWN1 down", () => view().get("DOWN1")?.health === "down");
      const res = await client().fanout({ targets: ["F1", "DOWN1"], payload: value(1) });
      expect(res.results.map((r) => r.instance)).toEqual(["DOWN1", "F1"]); // target order: natural name order
      expect(res.results[0]).toMatchObject({ instance: "DOWN1", status: ResultStatus.ERROR, reason: "instance_down", attempts: [] });
      void down;
    });

    /** Workers whose calls answer at once when the payload says so, else wait until cancelled, counting cancellations. */
    async function cancellable(prefix: string, count: number) {
      const cancelled = new Map<string, number>();
      const names = Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
      for (const name of names) {
        await fx.startWorker(name, {
          pool: prefix,
          handler: async (_req, ctx) => {
            if ((ctx.payload as { fast?: boolean } | null)?.fast) return { instance: name };
            await new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true })).catch((e) => {
              cancelled.set(name, (cancelled.get(name) ?? 0) + 1);
              throw e;
            });
            return null;
          },
        });
      }
      await waitFor(`view sees ${prefix}*`, () => names.every((n) => view().get(n)));
      return { names, cancelled };
    }

    it("aggregate first: the first success wins and the other calls are cancelled on their instances", async () => {
      const { cancelled } = await cancellable("FIRST", 4);
      const res = await client().fanout({
        targets: ["FIRST*"],
        payload: value({ slow: true }),
        payloads: { FIRST3: value({ fast: true }) },
        aggregate: "first",
        timeout: { seconds: 20n },
      });
      expect(res.summary).toMatchObject({ aggregate: "first", winner: "FIRST3", satisfied: true, succeeded: 1 });
      expect(json(res.summary!.result)).toEqual({ instance: "FIRST3" });
      expect(res.results.map((r) => r.status)).toEqual([ResultStatus.CANCELLED, ResultStatus.CANCELLED, ResultStatus.OK, ResultStatus.CANCELLED]);
      await waitFor("three cancellations seen by the instances", () => cancelled.size === 3, { timeoutMs: 5000 });
      expect([...cancelled.entries()].sort()).toEqual([["FIRST1", 1], ["FIRST2", 1], ["FIRST4", 1]]);
    });

    it("aggregate quorum: stops at N successes and cancels the rest", async () => {
      const { cancelled } = await cancellable("QUO", 5);
      const fast = value({ fast: true });
      const res = await client().fanout({
        targets: ["QUO*"],
        payload: value({ slow: true }),
        payloads: { QUO2: fast, QUO3: fast },
        aggregate: "quorum",
        quorum: 2,
        timeout: { seconds: 20n },
      });
      expect(res.summary).toMatchObject({ satisfied: true, succeeded: 2 });
      expect(res.results.filter((r) => r.status === ResultStatus.OK).map((r) => r.instance)).toEqual(["QUO2", "QUO3"]);
      expect(res.results.filter((r) => r.status === ResultStatus.CANCELLED).map((r) => r.instance)).toEqual(["QUO1", "QUO4", "QUO5"]);
      await waitFor("three cancellations seen", () => cancelled.size === 3, { timeoutMs: 5000 });
    });

    it("aggregate quorum gives up (cancelling the rest) once the quorum can no longer be met", async () => {
      const fail = (k: string) => value({ demo: { fail: 1, key: `${k}-${Date.now()}`, code: "internal" } });
      const res = await client().fanout({
        targets: ["F1..3"],
        payload: value({ demo: { delayMs: 60_000 } }),
        payloads: { F1: fail("q1"), F2: fail("q2") },
        aggregate: "quorum",
        quorum: 2,
      });
      expect(res.summary).toMatchObject({ satisfied: false, succeeded: 0, failed: 2 });
      expect(res.results.map((r) => r.status)).toEqual([ResultStatus.ERROR, ResultStatus.ERROR, ResultStatus.CANCELLED]);
    });

    it("aggregate merge: deep-merges objects and concatenates arrays, in target order", async () => {
      const handler = (name: string): WorkHandler => async () => ({ seen: { [name]: true }, names: [name], last: name });
      for (const n of ["M1", "M2", "M3"]) await fx.startWorker(n, { pool: "merge", handler: handler(n) });
      await waitFor("view sees M1-M3", () => ["M1", "M2", "M3"].every((n) => view().get(n)));
      const res = await client().fanout({ targets: ["M1", "M2", "M3"], payload: value(null), aggregate: "merge" });
      expect(json(res.summary!.result)).toEqual({ seen: { M1: true, M2: true, M3: true }, names: ["M1", "M2", "M3"], last: "M3" });
    });

    it("max_concurrency bounds the calls in flight", async () => {
      let inFlight = 0;
      let peak = 0;
      const handler: WorkHandler = async () => {
        peak = Math.max(peak, ++inFlight);
        await sleep(30);
        inFlight--;
        return "done";
      };
      for (const n of ["C1", "C2", "C3", "C4"]) await fx.startWorker(n, { pool: "conc", handler });
      await waitFor("view sees C1-C4", () => ["C1", "C2", "C3", "C4"].every((n) => view().get(n)));
      const res = await client().fanout({ targets: ["C1", "C2", "C3", "C4"], payload: value(1), maxConcurrency: 2 });
      expect(res.summary?.succeeded).toBe(4);
      expect(peak).toBe(2);
    });

    it("retries a target on itself with max_attempts", async () => {
      const res = await client().fanout({ targets: ["F1"], payload: value({ demo: { fail: 1, key: `retry-${Date.now()}` } }), maxAttempts: 2 });
      expect(res.results[0]!.attempts.map((a) => a.code)).toEqual(["UNAVAILABLE", "OK"]);
    });
  });

  describe("FanoutStream", () => {
    it("yields each instance's result as it arrives, then the summary", async () => {
      let slowDone = false;
      const slow: WorkHandler = async () => {
        await sleep(400);
        slowDone = true;
        return "slow";
      };
      await fx.startWorker("S-SLOW", { pool: "stream", handler: slow });
      await fx.startWorker("S-FAST", { pool: "stream", handler: async () => "fast" });
      await waitFor("view sees S-*", () => view().get("S-SLOW") && view().get("S-FAST"));
      const events: string[] = [];
      for await (const message of client().fanoutStream({ targets: ["S-SLOW", "S-FAST"], payload: value(1) })) {
        if (message.event.case === "result") {
          events.push(`${message.event.value.instance}${slowDone ? "" : " (slow still running)"}`);
        } else if (message.event.case === "summary") {
          events.push(`summary ${message.event.value.succeeded}`);
        }
      }
      expect(events).toEqual(["S-FAST (slow still running)", "S-SLOW", "summary 2"]);
    });
  });
});
