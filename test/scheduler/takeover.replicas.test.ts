import { SchedulerService, type Run } from "@orchestrator/contracts";
import { openDatabase, type DatabaseHandle } from "@orchestrator/db";
import { createServiceClient } from "@orchestrator/rpc";
import { waitFor } from "@orchestrator/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoInstances, KILL_TEST_PROBE_ENV, type DemoInstances } from "../support/demo-instances.js";
import { startStack, type Stack } from "../support/start-stack.js";
import { startRecordingWorkers, type RecordingWorkers } from "./recording-workers.js";
import { startSchedulerReplica, type SchedulerReplica } from "./scheduler-replica.js";

/**
 * Two scheduler replicas as separate processes on one real Postgres; the
 * one driving a 200-task run is SIGKILLed halfway. The other takes the run
 * over once its lease expires, and every task completes exactly once.
 */
const LAYERS = 20;
const WIDTH = 10;
const WORKERS = ["W1", "W2", "W3", "W4"];
let stack: Stack;
let workers: RecordingWorkers;
let replicas: SchedulerReplica[] = [];
let db: DatabaseHandle;
let streamed: DemoInstances | undefined;

const client = (r: SchedulerReplica) => createServiceClient(SchedulerService, { address: r.address, timeoutMs: 20_000 });

function layeredSpec(): string {
  const tasks = [];
  for (let l = 0; l < LAYERS; l++) {
    for (let i = 0; i < WIDTH; i++) {
      const deps = l === 0 ? [] : [`t${l - 1}-${i}`, `t${l - 1}-${(i + 1) % WIDTH}`];
      tasks.push({ id: `t${l}-${i}`, spec: `layer ${l} task ${i}`, deps, payload: { demo: { delayMs: 20 + ((l * WIDTH + i) % 5) * 10 } } });
    }
  }
  return JSON.stringify({ target: "@pool:work", tasks });
}

describe.skipIf(!process.env.DATABASE_URL)("scheduler replicas on real Postgres", { timeout: 180_000 }, () => {
  beforeAll(async () => {
    stack = await startStack({ services: ["health", "router", "mailbox"], env: KILL_TEST_PROBE_ENV });
    workers = await startRecordingWorkers(stack.address, WORKERS, "work");
    const env = { ORCHESTRATOR_SCHEDULER_LEASE_MS: "2000", ORCHESTRATOR_DRAIN_TIMEOUT_MS: "1000" };
    replicas = await Promise.all([startSchedulerReplica(stack.databaseUrl!, stack.address, env), startSchedulerReplica(stack.databaseUrl!, stack.address, env)]);
    db = await openDatabase({ url: stack.databaseUrl!, poolMax: 2 });
  }, 150_000);
  afterAll(async () => {
    await streamed?.close();
    await Promise.all(replicas.map((r) => r.kill()));
    await db?.close();
    await workers?.close();
    await stack?.close();
  });

  it("kill the replica driving a 200-task run halfway: the other takes it over; every task completes exactly once", async () => {
    const [first, second] = replicas as [SchedulerReplica, SchedulerReplica];
    const { run } = await client(first).startRun({ spec: layeredSpec(), maxConcurrency: 8 });
    const runId = run!.id;
    const driving = await waitFor("half the tasks completed", async () => {
      const { run: r } = await client(second).getRun({ id: runId });
      return r!.counts!.completed >= 100 ? r! : undefined;
    }, { timeoutMs: 60_000, intervalMs: 20 });
    const killedOwner = driving.owner;
    expect(killedOwner).toContain(`-${first.process.pid}-`);
    const killedAt = performance.now();
    await first.kill();

    const done: Run = await waitFor("the run to end on the other replica", async () => {
      const { run: r } = await client(second).getRun({ id: runId });
      return ["done", "failed", "stopped"].includes(r!.status) ? r! : undefined;
    }, { timeoutMs: 90_000, intervalMs: 100 });
    expect(done.status).toBe("done");
    expect(done.counts).toMatchObject({ completed: LAYERS * WIDTH, total: LAYERS * WIDTH, failed: 0 });
    expect(done.owner).not.toBe(killedOwner);
    expect(done.owner).toContain(`-${second.process.pid}-`);
    expect(done.takeovers).toBe(1);

    // The scheduler's side: exactly one completed dispatch per task, nothing left in flight;
    // what the dead replica had in flight was abandoned (not blamed on an instance).
    const perTask = await sql<{ task_id: string; completed: string; abandoned: string; live: string }>`
      select task_id,
             count(*) filter (where status = 'completed') as completed,
             count(*) filter (where status = 'abandoned') as abandoned,
             count(*) filter (where status = 'dispatched') as live
      from dispatch_contexts where run_id = ${runId} group by task_id`.execute(db.db);
    expect(perTask.rows).toHaveLength(LAYERS * WIDTH);
    expect(perTask.rows.filter((r) => Number(r.completed) !== 1)).toEqual([]);
    expect(perTask.rows.filter((r) => Number(r.live) !== 0)).toEqual([]);
    const abandoned = await sql<{ task_id: string; owner: string }>`select task_id, owner from dispatch_contexts where run_id = ${runId} and status = 'abandoned'`.execute(db.db);
    expect(abandoned.rows.every((r) => r.owner === killedOwner)).toBe(true);
    // At most what the dead replica had open: its 8 calls under way, and the dispatches it had claimed ahead and held
    // (RunDriver's PREFETCH: up to 3x the max concurrency more, never delivered, so never run twice: see below).
    expect(abandoned.rows.length).toBeLessThanOrEqual(8 * 4);
    if (process.env.TEST_VERBOSE) {
      const rerun = [...new Set(abandoned.rows.map((r) => r.task_id))].filter((t) => workers.succeeded(t).length > 1);
      console.log(`abandoned: ${abandoned.rows.length}, re-run: ${rerun.length}`);
      for (const t of rerun) console.log(t, workers.executions.filter((e) => e.workId === t).map((e) => `${e.instance} ${e.outcome} start ${(e.startedAt - killedAt).toFixed(1)} end ${((e.endedAt ?? 0) - killedAt).toFixed(1)}`).join(" | "));
    }
    const failedOrTimedOut = await sql<{ n: string }>`select count(*) as n from dispatch_contexts where run_id = ${runId} and status in ('failed', 'timed_out', 'circuit_broken')`.execute(db.db);
    expect(Number(failedOrTimedOut.rows[0]!.n)).toBe(0);

    // The workers' side: every task ran to a result at least once; a task ran to a result
    // twice only if the killed replica was waiting on it when it died (its answer was lost
    // with the process), never by the scheduler's doing.
    const abandonedTasks = new Set(abandoned.rows.map((r) => r.task_id));
    for (let l = 0; l < LAYERS; l++) {
      for (let i = 0; i < WIDTH; i++) {
        const taskId = `${runId}:t${l}-${i}`;
        const runs = workers.succeeded(taskId).length;
        expect(runs, taskId).toBeGreaterThanOrEqual(1);
        if (runs > 1) expect(abandonedTasks.has(taskId), `${taskId} ran ${runs} times`).toBe(true);
      }
    }
    // Dependencies held across the takeover: no task started before both of its dependencies answered.
    const firstOk = (taskId: string) => workers.succeeded(taskId)[0]!;
    for (let l = 1; l < LAYERS; l++) {
      for (let i = 0; i < WIDTH; i++) {
        const started = Math.min(...workers.executions.filter((e) => e.workId === `${runId}:t${l}-${i}`).map((e) => e.startedAt));
        for (const dep of [`t${l - 1}-${i}`, `t${l - 1}-${(i + 1) % WIDTH}`]) {
          expect(started).toBeGreaterThanOrEqual(firstOk(`${runId}:${dep}`).endedAt!);
        }
      }
    }
  });

  it("a clean shutdown (SIGTERM) hands the run over at once: in-flight dispatches finish first, nothing runs twice", async () => {
    const survivor = replicas[1]!;
    const env = { ORCHESTRATOR_SCHEDULER_LEASE_MS: "60000", ORCHESTRATOR_DRAIN_TIMEOUT_MS: "5000" };
    const leaving = await startSchedulerReplica(stack.databaseUrl!, stack.address, env);
    replicas.push(leaving);
    const { run } = await client(leaving).startRun({ spec: layeredSpec(), maxConcurrency: 8 });
    const runId = run!.id;
    await waitFor("a quarter of the tasks completed", async () => (await client(survivor).getRun({ id: runId })).run!.counts!.completed >= 50, { timeoutMs: 60_000, intervalMs: 20 });
    await leaving.stop();
    expect(leaving.process.exitCode).toBe(0);
    // The lease is 60 s: finishing well within the test's patience means the lease was released, not waited out.
    const done = await waitFor("the run to end on the survivor", async () => {
      const { run: r } = await client(survivor).getRun({ id: runId });
      return ["done", "failed", "stopped"].includes(r!.status) ? r! : undefined;
    }, { timeoutMs: 45_000, intervalMs: 100 });
    expect(done).toMatchObject({ status: "done", takeovers: 1 });
    expect(done.owner).toContain(`-${survivor.process.pid}-`);
    const contexts = await sql<{ status: string; n: string }>`select status, count(*) as n from dispatch_contexts where run_id = ${runId} group by status`.execute(db.db);
    expect(Object.fromEntries(contexts.rows.map((r) => [r.status, Number(r.n)]))).toEqual({ completed: LAYERS * WIDTH });
    for (let l = 0; l < LAYERS; l++) {
      for (let i = 0; i < WIDTH; i++) expect(workers.succeeded(`${runId}:t${l}-${i}`), `${runId}:t${l}-${i}`).toHaveLength(1);
    }
  });

  it("a worker SIGKILLed with tasks on its Work stream: they fail on the broken stream and are dispatched again; every task completes once", async () => {
    const survivor = replicas[1]!;
    // Two demo workers in their own processes, holding Work streams (4 slots) to the survivor, which drives the run.
    streamed = demoInstances(stack.address, ["S1", "S2"], "streamed", "", ["--scheduler", survivor.address, "--slots", "4"]);
    await streamed.waitHealthy(["S1", "S2"], 60_000);
    const streams = createServiceClient(SchedulerService, { address: survivor.address, timeoutMs: 20_000 });
    const tasks = Array.from({ length: 40 }, (_, i) => ({ id: `s${i}`, spec: `streamed ${i}`, payload: { demo: { delayMs: 150 } } }));
    const { run } = await streams.startRun({ spec: JSON.stringify({ target: "@pool:streamed", tasks }), maxConcurrency: 8 });
    const runId = run!.id;
    // S1 holds assignments when it dies: its slots are full at 8 in flight over two workers.
    await waitFor("a few tasks completed", async () => (await streams.getRun({ id: runId })).run!.counts!.completed >= 8, { timeoutMs: 60_000, intervalMs: 20 });
    await streamed.kill("S1");
    const done = await waitFor("the run to end", async () => {
      const { run: r } = await streams.getRun({ id: runId });
      return ["done", "failed", "stopped"].includes(r!.status) ? r! : undefined;
    }, { timeoutMs: 90_000, intervalMs: 100 });
    expect(done.status).toBe("done");
    expect(done.counts).toMatchObject({ completed: 40, failed: 0 });
    const perTask = await sql<{ task_id: string; completed: string; live: string }>`
      select task_id, count(*) filter (where status = 'completed') as completed, count(*) filter (where status = 'dispatched') as live
      from dispatch_contexts where run_id = ${runId} group by task_id`.execute(db.db);
    expect(perTask.rows).toHaveLength(40);
    expect(perTask.rows.filter((r) => Number(r.completed) !== 1 || Number(r.live) !== 0)).toEqual([]);
    // What S1 had on its stream failed as a broken stream (pushed, not called): at most its 4 slots. Dispatches
    // picked for S1 after it died and before its death was known went by unary Execute and failed to connect.
    const failed = await sql<{ task_id: string; error: string }>`
      select task_id, error from dispatch_contexts where run_id = ${runId} and instance = 'S1' and status = 'failed'`.execute(db.db);
    const broken = failed.rows.filter((r) => r.error.includes('work stream of "S1" closed'));
    expect(broken.length).toBeGreaterThan(0);
    expect(broken.length).toBeLessThanOrEqual(4);
    expect(failed.rows.filter((r) => !broken.includes(r) && !/UNAVAILABLE|unavailable|ECONNREFUSED|connect/i.test(r.error))).toEqual([]);
    const completedOn = await sql<{ instance: string }>`
      select instance from dispatch_contexts where run_id = ${runId} and status = 'completed' and task_id in (${sql.join(broken.map((r) => r.task_id))})`.execute(db.db);
    expect(completedOn.rows.every((r) => r.instance === "S2")).toBe(true);
  });
});
