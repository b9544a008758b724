import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { ResultStatus, RouterService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { demoStats } from "@orchestrator/worker";
import { expect } from "vitest";
import type { FleetScenario } from "../fleet-scenario.js";
import { fleetWorkers } from "../fleet-workers.js";
import type { Fleet } from "../start-fleet.js";
import { ROUTING_POOL, ROUTING_WORKERS } from "./route.scenario.js";

const value = (json: JsonValue) => fromJson(ValueSchema, json);

/**
 * Fanout through the router Service to every worker of the pool, one of
 * them hanging: every target reported once, the answering ones with their
 * result (executed exactly once each), the hanging one timed out and its
 * call cancelled on the instance. After the kills, the same through the
 * surviving router replica.
 */
export function fanoutScenario(): FleetScenario {
  return {
    name: "router: Fanout to every worker, aggregate all, one hanging",
    requires: ["router", "health"],
    async drive(fleet, phase) {
      await fleetWorkers(fleet, ROUTING_POOL, ROUTING_WORKERS);
      const router = client(fleet, fleet.address("router"));
      const [hanging, ...answering] = [...ROUTING_WORKERS].reverse();
      const before = demoStats();
      const res = await router.fanout({
        targets: [`@pool:${ROUTING_POOL}`],
        payload: value({ phase }),
        payloads: { [hanging!]: value({ demo: { hang: true } }) },
        aggregate: "all",
        timeout: { seconds: 1n, nanos: 0 },
      });
      expect(res.results.map((r) => r.instance).sort()).toEqual([...ROUTING_WORKERS].sort());
      for (const r of res.results) {
        if (r.instance === hanging) {
          expect(r.status, `${r.instance}: ${r.code} ${r.reason} ${r.message}`).toBe(ResultStatus.TIMEOUT);
          continue;
        }
        expect(r.status, `${r.instance}: ${r.code} ${r.message}`).toBe(ResultStatus.OK);
        expect(toJson(ValueSchema, r.result!)).toMatchObject({ instance: r.instance, echo: { phase } });
      }
      expect(res.summary).toMatchObject({ aggregate: "all", timedOut: true, succeeded: answering.length });
      expect(res.summary!.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(demoStats().executed - before.executed).toBe(answering.length);
      await waitFor("the hanging call to be cancelled on its instance", () => demoStats().cancelled - before.cancelled === 1);
    },
  };
}

function client(fleet: Fleet, address: string) {
  return createServiceClient(RouterService, { address, apiKey: fleet.apiKey, timeoutMs: 30_000 });
}
