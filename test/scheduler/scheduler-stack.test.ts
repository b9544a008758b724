import { toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { SchedulerService, type Run } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import type { SchedulerModule } from "@orchestrator/scheduler";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KILL_TEST_PROBE_ENV } from "../support/demo-instances.js";
import { startStack, type Stack } from "../support/start-stack.js";
import { startRecordingWorkers, type RecordingWorkers } from "./recording-workers.js";

/** The scheduler with the real health, router and mailbox services, dispatching to demo workers. */
let stack: Stack;
let workers: RecordingWorkers;
const scheduler = () => createServiceClient(SchedulerService, { address: stack.address, timeoutMs: 30_000 });
const NAMES = ["W1", "W2", "W3"];

async function finished(id: string): Promise<Run> {
  return waitFor(
    `run ${id} to end`,
    async () => {
      const { run } = await scheduler().getRun({ id });
      return ["done", "failed", "stopped"].includes(run!.status) ? run! : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 50 },
  );
}

beforeAll(async () => {
  stack = await startStack({ services: ["health", "router", "mailbox", "scheduler"], env: KILL_TEST_PROBE_ENV });
  workers = await startRecordingWorkers(stack.address, NAMES, "work");
  const module = stack.plane.modules.get("scheduler") as SchedulerModule;
  await waitFor("the scheduler to see the workers healthy", () => NAMES.every((n) => module.directory.get(n)?.health === "healthy"));
}, 120_000);
afterAll(async () => {
  await workers?.close();
  await stack?.close();
});

describe("scheduler with health, router and mailbox", { timeout: 90_000 }, () => {
  it("runs a diamond end to end on demo instances: d starts only after b and c completed; the result holds all four", async () => {
    const spec = `
target: "@pool:work"
tasks:
  - {id: a, spec: fetch, payload: {demo: {delayMs: 20}}}
  - {id: b, spec: left, deps: [a], payload: {demo: {delayMs: 150}}}
  - {id: c, spec: right, deps: [a], payload: {demo: {delayMs: 30}}}
  - {id: d, spec: join, deps: [b, c], payload: {step: d}}
`;
    const { run } = await scheduler().startRun({ spec, maxConcurrency: 4 });
    const done = await finished(run!.id);
    expect(done.status).toBe("done");
    const { run: full } = await scheduler().getRun({ id: run!.id });
    const result = toJson(ValueSchema, full!.result!) as { results: Record<string, { instance: string; echo: unknown }> };
    expect(Object.keys(result.results).sort()).toEqual(["a", "b", "c", "d"]);
    expect(result.results.d!.echo).toEqual({ step: "d" });
    expect(NAMES).toContain(result.results.a!.instance);

    const exec = (key: string) => {
      const list = workers.succeeded(`${run!.id}:${key}`);
      expect(list).toHaveLength(1);
      return list[0]!;
    };
    const [a, b, c, d] = ["a", "b", "c", "d"].map(exec);
    expect(b!.startedAt).toBeGreaterThanOrEqual(a!.endedAt!);
    expect(c!.startedAt).toBeGreaterThanOrEqual(a!.endedAt!);
    expect(d!.startedAt).toBeGreaterThanOrEqual(b!.endedAt!);
    expect(d!.startedAt).toBeGreaterThanOrEqual(c!.endedAt!);
  });

  it("a task whose instance fails 3 times ends failed with its context circuit_broken; its dependents do not hang", async () => {
    const spec = JSON.stringify({
      target: "@pool:work",
      tasks: [
        { id: "flaky", spec: "always fails", payload: { demo: { fail: 1000 } } },
        { id: "next", spec: "after flaky", deps: ["flaky"] },
        { id: "last", spec: "after next", deps: ["next"] },
        { id: "solo", spec: "independent" },
      ],
    });
    const { run } = await scheduler().startRun({ spec });
    const done = await finished(run!.id);
    expect(done.status).toBe("failed");
    const flaky = await scheduler().getDispatch({ taskId: `${run!.id}:flaky` });
    expect(flaky.history.map((h) => h.status)).toEqual(["failed", "failed", "circuit_broken"]);
    expect(flaky.history.map((h) => h.consecutiveFailures)).toEqual([1, 2, 3]);
    expect(new Set(flaky.history.map((h) => h.instance)).size).toBe(3);
    expect(flaky.current!.error).toContain("UNAVAILABLE");
    expect((await scheduler().getTask({ id: `${run!.id}:flaky` })).task).toMatchObject({ status: "failed", failureReason: "circuit_broken" });
    for (const key of ["next", "last"]) {
      expect((await scheduler().getTask({ id: `${run!.id}:${key}` })).task).toMatchObject({ status: "failed", failureReason: "dependency_failed", failedDependency: `${run!.id}:flaky` });
    }
    expect((await scheduler().getTask({ id: `${run!.id}:solo` })).task!.status).toBe("completed");
    expect(workers.executions.filter((e) => e.workId === `${run!.id}:flaky`)).toHaveLength(3);
  });

  it("a gate blocks its task inside a run; resolving it lets the run finish, with the decision in the preamble", async () => {
    const spec = JSON.stringify({ target: "@pool:work", tasks: [{ id: "prep", spec: "prepare", payload: { demo: { delayMs: 300 } } }, { id: "ship", spec: "ship it", deps: ["prep"] }] });
    const { run } = await scheduler().startRun({ spec });
    await waitFor("tasks created", async () => (await scheduler().listTasks({ runId: run!.id })).tasks.length === 2);
    const { gate } = await scheduler().createGate({ taskId: `${run!.id}:ship`, question: "ship today?", options: ["yes", "no"] });
    await waitFor("prep done", async () => (await scheduler().getTask({ id: `${run!.id}:prep` })).task!.status === "completed");
    expect((await scheduler().getTask({ id: `${run!.id}:ship` })).task!.status).toBe("blocked");
    await scheduler().resolveGate({ id: gate!.id, resolution: "yes" });
    expect((await finished(run!.id)).status).toBe("done");
    expect((await scheduler().getDispatch({ taskId: `${run!.id}:ship` })).current!.preamble).toContain("- ship today? → yes");
  });
});
