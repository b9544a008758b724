import { Code, ConnectError } from "@connectrpc/connect";
import { HealthService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { expect } from "vitest";
import type { FleetScenario } from "../fleet-scenario.js";
import { fleetWorkers } from "../fleet-workers.js";
import type { Fleet } from "../start-fleet.js";

const POOL = "fleet";
const NAMES = ["fleet-1", "fleet-2", "fleet-3", "fleet-4"];

/**
 * The health service across replicas: instances register and heartbeat
 * through the Service, every replica answers the same CheckHealth, and
 * AllocateInstance calls spread over the replicas hand out each idle
 * instance exactly once (RESOURCE_EXHAUSTED for the rest). After the kills
 * the survivors still probe (a stopped instance goes down) and allocate
 * without duplicates.
 */
export function healthAllocationScenario(): FleetScenario {
  return {
    name: "health: register, CheckHealth, allocation across replicas",
    requires: ["health"],
    async drive(fleet, phase) {
      const workers = await fleetWorkers(fleet, POOL, NAMES);
      const viaService = client(fleet, fleet.address("health"));
      const viaReplicas = fleet.replicas("health").map((r) => client(fleet, r.address));
      let expectedHealthy = NAMES;
      if (phase === "after the kills") {
        await workers.get("fleet-4")!.close();
        expectedHealthy = NAMES.slice(0, 3);
        await waitFor("the surviving health replica to see fleet-4 down", async () => (await viaService.checkHealth({ instances: ["fleet-4"] })).statuses["fleet-4"] === "down");
      }
      const expected = Object.fromEntries(NAMES.map((n) => [n, expectedHealthy.includes(n) ? "healthy" : "down"]));
      await waitFor(`CheckHealth to answer ${JSON.stringify(expected)}`, async () => {
        const { statuses } = await viaService.checkHealth({ instances: ["fleet-1..4"] });
        return NAMES.every((n) => statuses[n] === expected[n]) && Object.keys(statuses).length === NAMES.length;
      });
      for (const replica of viaReplicas) expect((await replica.checkHealth({ instances: ["fleet-1..4"] })).statuses).toEqual(expected);

      // Two more callers than idle instances, spread over every replica and the Service. A round in which an
      // instance was not healthy at the moment of allocation (a probe missed on a loaded machine) is released
      // and tried again; a name granted twice fails at once.
      const callers = [...viaReplicas, viaService];
      const wrong: string[] = [];
      await waitFor("an allocation round over every healthy instance", async () => {
        const attempts = await Promise.allSettled(
          Array.from({ length: expectedHealthy.length + 2 }, (_, i) => callers[i % callers.length]!.allocateInstance({ pool: POOL, holder: `${phase}-${i}` })),
        );
        const granted = attempts.flatMap((a) => (a.status === "fulfilled" ? [a.value.instance!.name] : []));
        const refused = attempts.flatMap((a) => (a.status === "rejected" ? [ConnectError.from(a.reason).code] : []));
        if (new Set(granted).size !== granted.length) wrong.push(`granted twice: ${granted.join(", ")}`);
        if (refused.some((code) => code !== Code.ResourceExhausted)) wrong.push(`refused with ${refused.map((c) => Code[c]).join(", ")}`);
        for (const name of granted) await viaService.releaseInstance({ name, holder: "" });
        return wrong.length > 0 || ([...granted].sort().join() === expectedHealthy.join() && refused.length === 2); // none lost
      });
      expect(wrong).toEqual([]);
    },
  };
}

function client(fleet: Fleet, address: string) {
  return createServiceClient(HealthService, { address, apiKey: fleet.apiKey, timeoutMs: 10_000 });
}
