import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { RouterService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { demoStats } from "@orchestrator/worker";
import { expect } from "vitest";
import type { FleetScenario } from "../fleet-scenario.js";
import { fleetWorkers } from "../fleet-workers.js";
import type { Fleet } from "../start-fleet.js";

/** The pool the router scenarios deliver to. */
export const ROUTING_POOL = "routing";
export const ROUTING_WORKERS = ["route-1", "route-2", "route-3"];

const value = (json: JsonValue) => fromJson(ValueSchema, json);

/**
 * Route across router replicas: a delegation that fails once is retried
 * and answered once (two attempts, one execution), through the Service and
 * on every replica, each answer carrying the trace id. After the kills
 * (a router and a health replica gone), the same through the survivors.
 */
export function routeScenario(): FleetScenario {
  return {
    name: "router: Route with a retried delegation",
    requires: ["router", "health"],
    async drive(fleet, phase) {
      await fleetWorkers(fleet, ROUTING_POOL, ROUTING_WORKERS);
      const routers = [fleet.address("router"), ...fleet.replicas("router").map((r) => r.address)].map((address) => client(fleet, address));
      // Each router follows the health service's view; wait until every one routes to the pool.
      for (const router of routers) {
        await waitFor("the router to route to the pool", async () => (await router.route({ instances: [`@pool:${ROUTING_POOL}`], payload: value("warm-up") })).instance !== "");
      }
      const before = demoStats();
      for (const [i, router] of routers.entries()) {
        const payload = { demo: { fail: 1, key: `${phase}-${i}` }, n: i };
        const res = await router.route({ instances: [`@pool:${ROUTING_POOL}`], payload: value(payload) });
        expect(ROUTING_WORKERS).toContain(res.instance);
        expect(toJson(ValueSchema, res.result!)).toMatchObject({ instance: res.instance, echo: payload });
        expect(res.attempts.map((a) => a.code)).toEqual(["UNAVAILABLE", "OK"]);
        expect(res.traceId).toMatch(/^[0-9a-f]{32}$/);
      }
      const after = demoStats();
      expect(after.executed - before.executed).toBe(routers.length); // each delivered once: none lost, none twice
      expect(after.failed - before.failed).toBe(routers.length);
    },
  };
}

function client(fleet: Fleet, address: string) {
  return createServiceClient(RouterService, { address, apiKey: fleet.apiKey, timeoutMs: 30_000 });
}
