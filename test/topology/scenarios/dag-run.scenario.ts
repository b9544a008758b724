import { toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { SchedulerService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { demoStats } from "@orchestrator/worker";
import { expect } from "vitest";
import type { FleetScenario } from "../fleet-scenario.js";
import { fleetWorkers } from "../fleet-workers.js";
import type { Fleet } from "../start-fleet.js";

/** The pool the DAG run dispatches to. */
export const DAG_POOL = "dag";
export const DAG_WORKERS = ["dag-1", "dag-2"];

/**
 * A DAG run through the fleet: `StartRun` of a three-task graph (a → b,
 * a → c) through the scheduler Service, followed (WatchRun) until `done`;
 * every task completed exactly once (one dispatch context each, one
 * execution each on the demo workers), the result holding all three.
 * After the kills (a scheduler, a router, a health and a mailbox replica
 * gone), the same through the survivors. Taking a run over from a killed
 * replica mid-run is test/scheduler/takeover.replicas.test.ts.
 */
export function dagRunScenario(): FleetScenario {
  return {
    name: "scheduler: a DAG run from start to done",
    requires: ["scheduler", "router", "mailbox", "health"],
    async drive(fleet, phase) {
      await fleetWorkers(fleet, DAG_POOL, DAG_WORKERS);
      const scheduler = client(fleet);
      const spec = JSON.stringify({
        target: `@pool:${DAG_POOL}`,
        tasks: [
          { id: "a", spec: "fetch", payload: { step: "a", phase } },
          { id: "b", spec: "left", deps: ["a"], payload: { step: "b", phase } },
          { id: "c", spec: "right", deps: ["a"], payload: { step: "c", phase } },
        ],
      });
      const before = demoStats();
      // Every scheduler replica sees the pool through its own health watch; the first run may wait for it.
      const { run } = await scheduler.startRun({ spec, maxConcurrency: 2 });
      let status = run!.status;
      for await (const ev of client(fleet, 0).watchRun({ id: run!.id })) status = ev.run!.status;
      expect(status).toBe("done");

      const { run: done } = await scheduler.getRun({ id: run!.id });
      expect(done!.counts).toMatchObject({ completed: 3, total: 3, failed: 0 });
      const result = toJson(ValueSchema, done!.result!) as { results: Record<string, { echo: { step: string } }> };
      expect(Object.keys(result.results).sort()).toEqual(["a", "b", "c"]);
      expect(result.results.b!.echo).toEqual({ step: "b", phase });
      for (const key of ["a", "b", "c"]) {
        const { history } = await scheduler.getDispatch({ taskId: `${run!.id}:${key}` });
        expect(history.map((h) => h.status)).toEqual(["completed"]);
        expect(DAG_WORKERS).toContain(history[0]!.instance);
      }
      await waitFor("the workers' counters", () => demoStats().executed - before.executed >= 3);
      expect(demoStats().executed - before.executed).toBe(3); // none lost, none twice
    },
  };
}

function client(fleet: Fleet, timeoutMs = 60_000) {
  return createServiceClient(SchedulerService, { address: fleet.address("scheduler"), apiKey: fleet.apiKey, timeoutMs });
}
