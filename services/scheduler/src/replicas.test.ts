import { Code } from "@connectrpc/connect";
import { testDatabaseAdminUrl } from "@orchestrator/db";
import { errorReason } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeDeps, startScheduler, type FakeDeps, type SchedulerFixture } from "./test-support.js";
import { rejection } from "./testing/rejection.js";

/** Two scheduler replicas on one real Postgres: every state change is a compare-and-set. */
describe.skipIf(!testDatabaseAdminUrl())("scheduler replicas on one database", () => {
  let deps: FakeDeps;
  let one: SchedulerFixture;
  let two: SchedulerFixture;

  beforeAll(async () => {
    deps = await startFakeDeps({ instances: [{ name: "A" }, { name: "B" }] });
    one = await startScheduler({ deps });
    two = await startScheduler({ deps, databaseUrl: one.database.url! });
  });
  afterAll(async () => {
    await two.close();
    await one.close();
    await deps.close();
  });
  beforeEach(async () => {
    deps.router.setBehaviour(async (call) => {
      await new Promise((r) => setTimeout(r, 20));
      return call.workId;
    });
    await one.client().reset({ tasks: true });
    deps.router.calls.splice(0);
  });

  it("the same ready task dispatched on both replicas at once is dispatched exactly once", async () => {
    for (let round = 0; round < 10; round++) {
      await one.client().createTask({ id: `race-${round}`, spec: "x" });
      const results = await Promise.allSettled([one.client().dispatch({ taskId: `race-${round}`, to: "A" }), two.client().dispatch({ taskId: `race-${round}`, to: "B" })]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(errorReason(loser.reason)).toBe("task_not_ready");
    }
    await waitFor("all completed", async () => (await one.client().listTasks({ status: "completed" })).tasks.length === 10);
    expect(deps.router.calls).toHaveLength(10);
    for (let round = 0; round < 10; round++) expect((await two.client().getDispatch({ taskId: `race-${round}` })).history).toHaveLength(1);
  });

  it("completing two dependencies at once on two replicas promotes their dependent exactly once", async () => {
    for (let round = 0; round < 10; round++) {
      await one.client().createTasks({ tasks: [{ id: `b${round}`, spec: "b" }, { id: `c${round}`, spec: "c" }, { id: `d${round}`, spec: "d", deps: [`b${round}`, `c${round}`] }] });
      const [rb, rc] = await Promise.all([one.client().updateTask({ id: `b${round}`, status: "completed" }), two.client().updateTask({ id: `c${round}`, status: "completed" })]);
      expect([...rb.affected, ...rc.affected]).toEqual([`d${round}`]);
      expect((await one.client().getTask({ id: `d${round}` })).task).toMatchObject({ status: "ready", pendingDeps: 0 });
    }
  });

  it("a task created while its dependency completes on the other replica is never left pending", async () => {
    for (let round = 0; round < 10; round++) {
      await one.client().createTask({ id: `dep${round}`, spec: "dep" });
      await Promise.all([two.client().updateTask({ id: `dep${round}`, status: "completed" }), one.client().createTask({ id: `late${round}`, spec: "late", deps: [`dep${round}`] })]);
      expect((await one.client().getTask({ id: `late${round}` })).task).toMatchObject({ status: "ready", pendingDeps: 0 });
    }
  });

  it("a gate resolved on both replicas at once is resolved once; the loser is told", async () => {
    await one.client().createTask({ id: "g", spec: "g" });
    const { gate } = await one.client().createGate({ taskId: "g", question: "go?" });
    const results = await Promise.allSettled([one.client().resolveGate({ id: gate!.id, resolution: "one" }), two.client().resolveGate({ id: gate!.id, resolution: "two" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason;
    expect(errorReason(loser)).toBe("gate_not_pending");
  });

  it("a run started on one replica is driven by it alone; stopping it on the other replica stops it", async () => {
    deps.router.setBehaviour((_call, signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("cancelled")))));
    const { run } = await one.client().startRun({ spec: JSON.stringify({ target: "@healthy", tasks: [{ id: "a", spec: "a" }, { id: "b", spec: "b" }] }) });
    await waitFor("dispatched", () => deps.router.calls.length === 2);
    expect((await two.client().getRun({ id: run!.id })).run!.owner).toBe(one.module.replicaId);
    expect(one.module.supervisor.runIds).toContain(run!.id);
    expect(two.module.supervisor.runIds).not.toContain(run!.id);
    const stopped = await two.client().stopRun({ id: run!.id });
    expect(stopped.run!.status).toBe("stopped");
    await waitFor("calls cancelled on the driving replica", () => one.module.inflight.size === 0);
    const again = await rejection(one.client().stopRun({ id: run!.id }));
    expect(again.code).toBe(Code.FailedPrecondition);
  });
});
