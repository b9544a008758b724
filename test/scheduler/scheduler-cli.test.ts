import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SchedulerModule } from "@orchestrator/scheduler";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KILL_TEST_PROBE_ENV } from "../support/demo-instances.js";
import { runOrchestrator } from "../support/run-orchestrator.js";
import { startStack, type Stack } from "../support/start-stack.js";
import { startRecordingWorkers, type RecordingWorkers } from "./recording-workers.js";

/** The scheduler's CLI against a real stack: task, dispatch, dispatch-show, gate, run (--follow), run-stop, reset; --json everywhere. */
let stack: Stack;
let workers: RecordingWorkers;
let dir: string;
const cli = (...args: string[]) => runOrchestrator(stack.address, ...args);
const json = async <T>(...args: string[]): Promise<T> => {
  const res = await cli("--json", ...args);
  expect(res.stderr).toBe("");
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as T;
};

beforeAll(async () => {
  stack = await startStack({ services: ["health", "router", "mailbox", "scheduler"], env: KILL_TEST_PROBE_ENV });
  workers = await startRecordingWorkers(stack.address, ["C1", "C2"], "cli");
  const module = stack.plane.modules.get("scheduler") as SchedulerModule;
  await waitFor("the scheduler to see the workers", () => ["C1", "C2"].every((n) => module.directory.get(n)?.health === "healthy"));
  dir = mkdtempSync(join(tmpdir(), "orch-sched-cli-"));
}, 120_000);
afterAll(async () => {
  await workers?.close();
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("orchestrator task / dispatch / gate / run / reset", { timeout: 120_000 }, () => {
  it("creates tasks, lists the ready ones, dispatches and shows the dispatch", async () => {
    await json("task", "create", "--id", "api", "--spec", "build the API", "--payload", '{"demo":{"delayMs":10}}');
    const created = await json<{ task: { status: string; deps: string[] } }>("task", "create", "--id", "tests", "--spec", "test it", "--deps", '["api"]');
    expect(created.task).toMatchObject({ status: "pending", deps: ["api"] });
    const ready = await json<{ tasks: Array<{ id: string }> }>("task", "list", "--ready");
    expect(ready.tasks.map((t) => t.id)).toEqual(["api"]);

    const dispatched = await json<{ dispatch: { instance: string; kind: string; attempt: number } }>("dispatch", "--task", "api", "--to", "@pool:cli");
    expect(dispatched.dispatch).toMatchObject({ kind: "service", attempt: 1 });
    await waitFor("api completed", async () => (await json<{ task: { status: string } }>("task", "get", "api")).task.status === "completed", { intervalMs: 200 });
    const shown = await json<{ current: { status: string; instance: string }; history: unknown[] }>("dispatch-show", "--task", "api");
    expect(shown.current).toMatchObject({ status: "completed", instance: dispatched.dispatch.instance });
    expect(shown.history).toHaveLength(1);
    expect((await json<{ task: { status: string } }>("task", "get", "tests")).task.status).toBe("ready");

    const table = await cli("dispatch-show", "--task", "api");
    expect(table.stdout).toMatch(/ATTEMPT\s+ID\s+INSTANCE/);
    expect(table.stdout).toContain("completed");
  });

  it("prints clear errors and exits non-zero: a cycle, an unknown dependency, a dispatch of a task that is not ready", async () => {
    const cycle = await cli("task", "create", "--id", "loop", "--spec", "x", "--deps", "loop");
    expect(cycle.code).toBe(1);
    expect(cycle.stderr).toContain("dependency cycle loop → loop");
    expect(cycle.stderr).toContain("reason: dependency_cycle");
    const unknown = await cli("--json", "task", "create", "--spec", "x", "--deps", '["ghost"]');
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr).error).toMatchObject({ code: "INVALID_ARGUMENT", reason: "unknown_dependency", fields: [{ field: "deps[0]" }] });
    await json("task", "create", "--id", "first", "--spec", "x");
    await json("task", "create", "--id", "second", "--spec", "y", "--deps", "first");
    const notReady = await cli("dispatch", "--task", "second", "--to", "C1");
    expect(notReady.code).toBe(1);
    expect(notReady.stderr).toContain("FAILED_PRECONDITION");
    expect(notReady.stderr).toContain("reason: task_not_ready");
    expect((await json<{ task: { status: string } }>("task", "get", "second")).task.status).toBe("pending");
  });

  it("gates: create blocks the task, list shows it, resolve unblocks it; resolving twice is refused", async () => {
    await json("task", "create", "--id", "deploy", "--spec", "deploy to prod");
    const { gate } = await json<{ gate: { id: string; status: string } }>("gate", "create", "--task", "deploy", "--question", "ship?", "--options", "yes,no", "--default", "no", "--timeout", "1h");
    expect(gate.status).toBe("pending");
    expect((await json<{ task: { status: string } }>("task", "get", "deploy")).task.status).toBe("blocked");
    const listed = await json<{ gates: Array<{ id: string; options: string[]; defaultOption: string }> }>("gate", "list", "--task", "deploy", "--status", "pending");
    expect(listed.gates).toMatchObject([{ id: gate.id, options: ["yes", "no"], defaultOption: "no" }]);
    const resolved = await json<{ gate: { status: string }; task: { status: string } }>("gate", "resolve", "--id", gate.id, "--resolution", "yes", "--by", "alice");
    expect(resolved).toMatchObject({ gate: { status: "resolved" }, task: { status: "ready" } });
    const again = await cli("gate", "resolve", "--id", gate.id, "--resolution", "no");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("reason: gate_not_pending");
    const human = await cli("gate", "list", "--task", "deploy");
    expect(human.stdout).toContain("yes (alice)");
  });

  it("run --spec FILE --follow --json streams progress to the end and exits 0; the live view shows counts and running tasks", async () => {
    const file = join(dir, "plan.yaml");
    writeFileSync(file, `target: "@pool:cli"\ntasks:\n  - {id: a, spec: a, payload: {demo: {delayMs: 50}}}\n  - {id: b, spec: b, deps: [a], payload: {demo: {delayMs: 50}}}\n  - {id: c, spec: c, deps: [a]}\n`);
    const followed = await cli("--json", "run", "--spec", file, "--max-concurrent", "2", "--follow");
    expect(followed.code).toBe(0);
    const events = followed.stdout.trim().split("\n").map((l) => JSON.parse(l) as { event: string; run: { status: string; maxConcurrency: number; counts: Record<string, number>; result?: { results: Record<string, unknown> } } });
    expect(events[0]!.event).toBe("snapshot");
    expect(events.at(-1)!).toMatchObject({ event: "finished", run: { status: "done", maxConcurrency: 2, counts: { completed: 3, total: 3 } } });
    expect(Object.keys(events.at(-1)!.run.result!.results).sort()).toEqual(["a", "b", "c"]);

    const live = await cli("run", "--spec", file, "--follow");
    expect(live.code).toBe(0);
    expect(live.stderr).toMatch(/run r-\w+ {2}\w+ {2}\d+:\d\d/);
    expect(live.stderr).toMatch(/pending \d+ {2}ready \d+ {2}dispatched \d+ {2}completed \d+ {2}failed \d+ {2}blocked \d+/);
    expect(live.stderr).toMatch(/running: /);
    expect(live.stdout).toMatch(/run r-\w+: done; 3 of 3 task\(s\) completed, 0 failed/);
  });

  it("run with a spec that does not parse names the line and starts nothing", async () => {
    const before = await json<{ runs?: unknown[] }>("runs");
    const bad = await cli("run", "--spec", "tasks:\n  - id: a\n    spec: [broken\n");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/INVALID_ARGUMENT: spec: line \d+: not valid YAML/);
    expect(bad.stderr).toContain("reason: invalid_spec");
    expect((await json<{ runs?: unknown[] }>("runs")).runs ?? []).toHaveLength((before.runs ?? []).length);
  });

  it("run-stop stops the only active run; reset --tasks clears tasks, contexts, gates and runs", async () => {
    const started = await json<{ run: { id: string } }>("run", "--spec", JSON.stringify({ target: "@pool:cli", tasks: [{ id: "hang", spec: "wait", payload: { demo: { hang: true } } }] }));
    await waitFor("dispatched", async () => (await json<{ run: { counts: { dispatched: number } } }>("run-show", "--run", started.run.id)).run.counts.dispatched === 1, { intervalMs: 200 });
    const stopped = await json<{ run: { id: string; status: string } }>("run-stop");
    expect(stopped.run).toMatchObject({ id: started.run.id, status: "stopped" });
    const none = await cli("run-stop");
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no active run to stop");

    const reset = await json<{ tasks: { deleted: number } }>("reset", "--tasks");
    expect(reset.tasks.deleted).toBeGreaterThan(0);
    expect((await json<{ tasks?: unknown[] }>("task", "list")).tasks ?? []).toEqual([]);
    expect((await json<{ runs?: unknown[] }>("runs")).runs ?? []).toEqual([]);
    const all = await json<Record<string, { deleted: number }>>("reset", "--all");
    expect(Object.keys(all).sort()).toEqual(["messages", "tasks"]);
  });
});
