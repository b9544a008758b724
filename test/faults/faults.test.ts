import { Code, ConnectError } from "@connectrpc/connect";
import { grpcHealth, HealthService, MailboxService, SchedulerService } from "@orchestrator/contracts";
import { migrateToLatest, openDatabase, testDatabaseAdminUrl } from "@orchestrator/db";
import { createServiceClient } from "@orchestrator/rpc";
import { testLogger, waitFor } from "@orchestrator/testing";
import { startWorker, type RunningWorker } from "@orchestrator/worker";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { kubectlStatus } from "../support/kubectl-status.js";
import { renderKustomize } from "../support/render-kustomize.js";
import { readTopology } from "../topology/read-topology.js";
import { startFleet, type Fleet, type Replica } from "../topology/start-fleet.js";
import { formatFaultTable, type FaultRow } from "./fault-table.js";
import { formatCodes, startLightLoad, type LoadReport } from "./light-load.js";
import { startScratchPostgres, type ScratchPostgres } from "./start-scratch-postgres.js";

const kubectl = kubectlStatus();
const POOL = "faults";
const WORKERS = ["fault-1", "fault-2"];
/** How long the database stays down in the outage scenario (the fault itself, not a wait for a state). */
const OUTAGE_MS = 15_000;
/** Waiters held while Postgres restarts, and waiters held at once with no fault. */
const RESTART_WAITERS = 100;
const WAITERS = 1000;

/**
 * The fleet (dev overlay: two replicas of each service behind round-robin
 * proxies) on a Postgres cluster of the suite's own, put through faults an
 * operator meets: Postgres restarted mid-run and mid-wait, Postgres stopped
 * for 15 s under light load, each service's replica SIGKILLed in turn, 1,000
 * waiters. Asserts nothing is lost or duplicated, which codes callers saw,
 * that logs stay bounded and that everything recovers with no action taken;
 * prints the table that README's "Reliability" section shows. Real Postgres
 * (initdb on this machine) and kubectl only.
 */
describe.skipIf(kubectl.kind === "skip" || !testDatabaseAdminUrl())("faults: the fleet through database restarts, an outage and kills", () => {
  let pg: ScratchPostgres;
  let fleet: Fleet;
  const everyone: Replica[] = [];
  /** Replicas a scenario SIGKILLed on purpose. */
  const killed = new Set<Replica>();
  const workers: RunningWorker[] = [];
  const executions = new Map<string, number>();
  const rows: FaultRow[] = [];

  const scheduler = () => createServiceClient(SchedulerService, { address: fleet.address("scheduler"), apiKey: fleet.apiKey, timeoutMs: 30_000 });
  const mailboxAt = (address: string) => createServiceClient(MailboxService, { address, apiKey: fleet.apiKey, timeoutMs: 30_000 });
  const samples: string[] = [];
  /** Codes a caller may see in an outage: UNAVAILABLE (retry), ABORTED (a conflict), DEADLINE_EXCEEDED when its deadline went; never INTERNAL, UNKNOWN or CANCELED (no caller cancels). */
  const unexpectedCodes = (r: LoadReport) => [...r.codes.keys()].filter((c) => c === "INTERNAL" || c === "UNKNOWN" || c === "CANCELED");
  const keepSamples = (scenario: string, r: LoadReport) => {
    for (const [code, message] of r.samples) samples.push(`${scenario}: ${code}: ${message}`);
  };
  const logLines = () => everyone.reduce((n, r) => n + r.logCounts().warn + r.logCounts().error, 0);
  const downtime = (r: LoadReport) => (r.firstFailure === undefined ? 0 : (r.lastFailure! - r.firstFailure) / 1000);

  /** Calls `fn` until it does not fail with a transient code (what a caller does with UNAVAILABLE); counted in `retried`. */
  const untilDone = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (let i = 0; ; i++) {
      try {
        return await fn();
      } catch (err) {
        const code = ConnectError.from(err).code;
        if ((code !== Code.Unavailable && code !== Code.Aborted) || i > 200) throw err;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  };

  /** A waiting Check asked again after a transient error with what is left of its wait, as `orchestrator check --wait` does. */
  const retryingWait = async <T>(call: (remainingMs: number) => Promise<T>, waitMs: number, onRetry: () => void): Promise<T> => {
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        return await call(Math.max(0, deadline - Date.now()));
      } catch (err) {
        const code = ConnectError.from(err).code;
        if (code !== Code.Unavailable || Date.now() >= deadline) throw err;
        onRetry();
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  };

  /** Every task of a run completed, each with exactly one completed dispatch; returns lost + duplicated. */
  const runOutcome = async (runId: string, keys: readonly string[]): Promise<number> => {
    const run = await waitFor(`run ${runId} to end`, async () => {
      const { run } = await untilDone(() => scheduler().getRun({ id: runId }));
      return run && ["done", "failed", "stopped"].includes(run.status) ? run : undefined;
    }, { timeoutMs: 120_000, intervalMs: 250 });
    expect(run.status).toBe("done");
    let bad = 0;
    for (const key of keys) {
      const { history } = await untilDone(() => scheduler().getDispatch({ taskId: `${runId}:${key}` }));
      const completed = history.filter((h) => h.status === "completed").length;
      if (completed !== 1) bad++;
    }
    return bad;
  };

  const startRun = async (label: string, n: number) => {
    const keys = Array.from({ length: n }, (_, i) => `${label}-${i}`);
    const spec = JSON.stringify({
      target: `@pool:${POOL}`,
      tasks: keys.map((id, i) => ({ id, spec: "work", payload: { task: id }, deps: i >= 2 ? [keys[i - 2]] : [] })),
    });
    const { run } = await untilDone(() => scheduler().startRun({ spec, maxConcurrency: 2 }));
    return { runId: run!.id, keys };
  };

  const readiness = async (replica: Replica, service: string) => {
    const health = createServiceClient(grpcHealth.Health, { address: replica.address, timeoutMs: 2000 });
    return (await health.check({ service })).status;
  };

  beforeAll(async () => {
    if (kubectl.kind === "fail") throw new Error(kubectl.message);
    pg = await startScratchPostgres();
    const db = await openDatabase({ url: pg.url });
    await migrateToLatest(db.db);
    await db.close();
    fleet = await startFleet(readTopology(renderKustomize("deploy/k8s/overlays/dev")), { databaseUrl: pg.url, readyTimeoutMs: 150_000 });
    for (const component of fleet.running) everyone.push(...fleet.replicas(component));
    for (const name of WORKERS) {
      workers.push(
        await startWorker({
          name,
          pool: POOL,
          controlPlane: fleet.address("health"),
          apiKey: fleet.apiKey,
          heartbeatIntervalMs: 500,
          logger: testLogger(),
          handler: async (_req, ctx) => {
            const task = (ctx.payload as { task?: string } | null)?.task ?? "?";
            executions.set(task, (executions.get(task) ?? 0) + 1);
            await new Promise((resolve) => setTimeout(resolve, 100));
            return { task };
          },
        }),
      );
    }
    const health = createServiceClient(HealthService, { address: fleet.address("health"), apiKey: fleet.apiKey, timeoutMs: 5000 });
    await waitFor(`pool ${POOL} healthy`, async () => {
      const { statuses } = await health.checkHealth({ instances: [`@pool:${POOL}`] });
      return WORKERS.every((n) => statuses[n] === "healthy");
    }, { timeoutMs: 60_000 });
  }, 400_000);

  // A scenario that failed says which replicas died on their own (not SIGKILLed by a scenario) and what they wrote last.
  afterEach((ctx) => {
    if (ctx.task.result?.state !== "fail") return;
    for (const r of everyone) {
      if (!r.alive() && !killed.has(r)) console.error(`${r.component} replica ${r.index} exited (${r.child.exitCode ?? r.child.signalCode}):\n${r.output()}`);
    }
  });

  afterAll(async () => {
    if (rows.length > 0) process.stdout.write(`\nfault suite (load average ${(await import("node:os")).loadavg()[0]!.toFixed(1)}):\n${formatFaultTable(rows)}\n\nfirst error of each code:\n${samples.join("\n")}\n\n`);
    for (const w of workers) await w.close().catch(() => undefined);
    await fleet?.close();
    await pg?.close();
  }, 60_000);

  it("Postgres restarted mid-run: the run finishes, every task completed exactly once", async () => {
    const logsBefore = logLines();
    const load = startLightLoad(fleet, "restart-run");
    const { runId, keys } = await startRun("restart", 6);
    await waitFor("a task of the run to complete", async () => {
      const { run } = await untilDone(() => scheduler().getRun({ id: runId }));
      return (run?.counts?.completed ?? 0) >= 1;
    }, { timeoutMs: 60_000, intervalMs: 100 });
    await pg.restart();
    const bad = await runOutcome(runId, keys);
    const report = await load.stop();
    const lost = await messagesLostOrDuplicated(report);
    rows.push({ scenario: "Postgres restart mid-run", codes: formatCodes(report.codes), downtimeS: downtime(report), tasksLostOrDuplicated: bad, messagesLostOrDuplicated: lost, errorLogLines: logLines() - logsBefore });
    expect(bad).toBe(0);
    expect(lost).toBe(0);
    keepSamples("restart mid-run", report);
    expect(unexpectedCodes(report)).toEqual([]);
  }, 180_000);

  /** `count` waiting Checks spread over the mailbox replicas, `during` run while they wait, then one Send each: each waiter gets its message exactly once. */
  const waiters = async (scenario: string, count: number, during: () => Promise<void>) => {
    const logsBefore = logLines();
    const started = Date.now();
    const waiterClients = fleet.replicas("mailbox").map((r) => createServiceClient(MailboxService, { address: r.address, apiKey: fleet.apiKey, timeoutMs: 0 }));
    const handles = Array.from({ length: count }, (_, i) => `${scenario.replace(/\W+/g, "-")}-${i}`);
    const codes = new Map<string, number>();
    const waits = handles.map((handle, i) =>
      retryingWait(
        (remainingMs) =>
          waiterClients[i % waiterClients.length]!.check({ handle, wait: true, unreadOnly: true, markRead: true, types: ["dispatch"], timeoutMs: remainingMs }, { timeoutMs: remainingMs + 30_000 }),
        150_000,
        () => codes.set("UNAVAILABLE", (codes.get("UNAVAILABLE") ?? 0) + 1),
      ).then(
        (res) => ({ res }),
        (err: unknown) => ({ err }),
      ),
    );
    await during();
    const sender = createServiceClient(MailboxService, { address: fleet.address("mailbox"), apiKey: fleet.apiKey, timeoutMs: 60_000 });
    const sent = new Map<string, string>();
    for (let i = 0; i < handles.length; i += 20) {
      await Promise.all(
        handles.slice(i, i + 20).map(async (handle) => {
          const res = await untilDone(() => sender.send({ to: handle, from: "faults", type: "dispatch", subject: "wake" }));
          sent.set(handle, res.messages[0]!.id);
        }),
      );
    }
    const got = await Promise.all(waits);
    let bad = 0;
    got.forEach((outcome, i) => {
      if (!("res" in outcome)) {
        const name = Code[ConnectError.from(outcome.err).code]!.toUpperCase();
        codes.set(name, (codes.get(name) ?? 0) + 1);
        bad++;
        return;
      }
      codes.set("OK", (codes.get("OK") ?? 0) + 1);
      const res = outcome.res;
      if (res.timedOut || res.messages.length !== 1 || res.messages[0]!.id !== sent.get(handles[i]!)) bad++;
    });
    for (const handle of handles.slice(0, 50)) {
      const again = await sender.check({ handle, unreadOnly: true, types: ["dispatch"] });
      if (again.messages.length > 0) bad++;
    }
    rows.push({ scenario, codes: formatCodes(codes), downtimeS: (Date.now() - started) / 1000, tasksLostOrDuplicated: 0, messagesLostOrDuplicated: bad, errorLogLines: logLines() - logsBefore });
    expect(bad).toBe(0);
  };

  it(`Postgres restarted mid-wait with ${RESTART_WAITERS} waiters: each gets its message exactly once`, async () => {
    await waiters(`Postgres restart mid-wait (${RESTART_WAITERS} waiters)`, RESTART_WAITERS, () => pg.restart());
  }, 240_000);

  it(`${WAITERS} waiters at once: each gets its message exactly once`, async () => {
    await waiters(`${WAITERS} waiters`, WAITERS, async () => {});
  }, 300_000);

  it("Postgres stopped for 15 s under light load: UNAVAILABLE, not INTERNAL; readiness NOT_SERVING then SERVING by itself; logs bounded", async () => {
    const logsBefore = logLines();
    const load = startLightLoad(fleet, "outage");
    await waitFor("light load running", () => load.oks() >= 4, { timeoutMs: 30_000 });
    const { runId, keys } = await startRun("outage", 4);
    await pg.stop();
    const stoppedAt = Date.now();
    const mailbox = fleet.replicas("mailbox")[0]!;
    await waitFor("a mailbox replica to report NOT_SERVING (after the grace)", async () => (await readiness(mailbox, "orchestrator.mailbox.v1.MailboxService")) === grpcHealth.HealthCheckResponse_ServingStatus.NOT_SERVING, { timeoutMs: OUTAGE_MS, intervalMs: 250 });
    expect(await readiness(mailbox, "")).toBe(grpcHealth.HealthCheckResponse_ServingStatus.SERVING); // liveness holds
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt))));
    await pg.start();
    for (const r of fleet.replicas("mailbox")) {
      await waitFor(`${r.component} replica ${r.index} SERVING again`, async () => (await readiness(r, "orchestrator.mailbox.v1.MailboxService")) === grpcHealth.HealthCheckResponse_ServingStatus.SERVING, { timeoutMs: 30_000, intervalMs: 250 });
    }
    const oks = load.oks();
    await waitFor("light load succeeding again", () => load.oks() >= oks + 6, { timeoutMs: 30_000 });
    const report = await load.stop();
    const bad = await runOutcome(runId, keys);
    const lost = await messagesLostOrDuplicated(report);
    const logged = logLines() - logsBefore;
    rows.push({ scenario: "Postgres stopped 15 s under light load", codes: formatCodes(report.codes), downtimeS: downtime(report), tasksLostOrDuplicated: bad, messagesLostOrDuplicated: lost, errorLogLines: logged });
    keepSamples("outage", report);
    expect(unexpectedCodes(report)).toEqual([]);
    expect(report.codes.get("UNAVAILABLE")).toBeGreaterThan(0);
    expect(bad).toBe(0);
    expect(lost).toBe(0);
    // One line per failing activity per replica, plus summaries; a line per failed call would be hundreds.
    expect(logged).toBeLessThan(everyone.length * 25);
  }, 180_000);

  it("each service's replica SIGKILLed in turn mid-run: the survivors finish it, nothing lost or duplicated", async () => {
    const logsBefore = logLines();
    const load = startLightLoad(fleet, "kills");
    const { runId, keys } = await startRun("kills", 8);
    for (const component of ["health", "router", "mailbox", "scheduler"]) {
      const [victim] = fleet.replicas(component);
      if (victim && fleet.replicas(component).length > 1) {
        killed.add(victim);
        await fleet.kill(victim);
      }
    }
    const bad = await runOutcome(runId, keys);
    const report = await load.stop();
    const lost = await messagesLostOrDuplicated(report);
    keepSamples("kills", report);
    expect(unexpectedCodes(report)).toEqual([]);
    rows.push({ scenario: "one replica of each service SIGKILLed in turn", codes: formatCodes(report.codes), downtimeS: downtime(report), tasksLostOrDuplicated: bad, messagesLostOrDuplicated: lost, errorLogLines: logLines() - logsBefore });
    expect(bad).toBe(0);
    expect(lost).toBe(0);
  }, 180_000);

  /** Every OK Send delivered exactly once, and no failed Send delivered twice: the count of handles that broke that. */
  async function messagesLostOrDuplicated(report: LoadReport): Promise<number> {
    const mailbox = mailboxAt(fleet.address("mailbox"));
    let bad = 0;
    for (const [handle, id] of report.sent) {
      const { messages } = await untilDone(() => mailbox.check({ handle, types: ["status"] }));
      if (messages.length !== 1 || messages[0]!.id !== id) bad++;
    }
    for (const handle of report.unsent) {
      const { messages } = await untilDone(() => mailbox.check({ handle, types: ["status"] }));
      if (messages.length > 1) bad++;
    }
    return bad;
  }
});
