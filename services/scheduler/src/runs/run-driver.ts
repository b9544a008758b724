import { executePrepared, type Database } from "@orchestrator/db";
import { context, ROOT_CONTEXT } from "@opentelemetry/api";
import { sql, type Kysely } from "kysely";
import type { Logger } from "pino";
import { SERVICE_DEADLINE_GRACE_MS, type Dispatcher, type HeldDispatch, type PlannedDispatch } from "../dispatch/dispatcher.js";
import type { Outcome, OutcomeSink } from "../dispatch/outcome.js";
import { changedTasks, settleOutcomes } from "../dispatch/settle-outcomes.js";
import { announce, type SchedulerNotice } from "../events/scheduler-notice.js";
import type { Tx } from "../shared/db.js";
import { inTransaction } from "../shared/in-transaction.js";
import type { SchedulerObserver } from "../shared/scheduler-observer.js";
import { announceRuns, changedRuns, createTasksIn } from "../tasks/task.service.js";
import { analyzeTasks } from "../tasks/task.repository.js";
import type { ChangedTask } from "../tasks/task-transitions.js";
import type { Decomposer } from "./decomposer.js";
import { mergeRun } from "./merge-run.js";
import type { RunGraph } from "./run-graph.js";
import { claimAhead } from "./claim-ahead.js";
import { claimReadyTasks } from "./claim-ready-tasks.js";
import { openWork, setRunStatus } from "./run.repository.js";
import { ACTIVE_RUN_STATUSES } from "./run.js";
import { STEP_PLANNER } from "./step-planner.js";
import { RepeatedFailureLog } from "@orchestrator/rpc";

/** What a RunDriver is built from. */
export interface RunDriverDeps {
  readonly db: Kysely<Database>;
  /** This replica's id: the run's lease owner while this driver runs. */
  readonly owner: string;
  readonly dispatcher: Dispatcher;
  readonly decomposer: Decomposer;
  readonly logger: Logger;
  /** Called once the driver stops for good (run final, lease lost, stopped). */
  readonly onExit: (runId: string) => void;
  /** Where outcomes of this driver's dispatches go once it has stopped (they are still recorded). */
  readonly fallbackSink: OutcomeSink;
  readonly observer?: SchedulerObserver;
}

type StepResult = "finished" | "again" | "idle";

/**
 * How often a run's progress is announced at most: watchers hear of a step
 * up to this much later (WatchRun reloads at most every 100 ms anyway).
 */
const PROGRESS_NOTICE_MS = 25;

/** A run whose graph has this many tasks or more refreshes the planner's statistics once they are in (analyzeTasks). */
const ANALYZE_AFTER_TASKS = 1000;

/**
 * A dispatch held longer is given back (abandoned: ready again, nothing
 * counted) rather than delivered: its context's deadline ran from the
 * claim, and a call delivered later must still end before it (the
 * deadline's grace is SERVICE_DEADLINE_GRACE_MS).
 */
const HELD_LIMIT_MS = SERVICE_DEADLINE_GRACE_MS / 5;
type RunState = { status: string; lease_owner: string | null; max_concurrency: number; target: string; coordinator: string | null; inflight: number };

/**
 * Drives one run on the replica holding its lease. Each step is one
 * transaction: record the outcomes that came in (completing tasks promotes
 * their dependents), claim ready tasks up to the run's max concurrency,
 * and beyond it (claimAhead) while its calls are short (`FOR UPDATE SKIP
 * LOCKED`), and record their dispatches,
 * advance the phase. After commit the dispatches are held here and
 * delivered while fewer than max concurrency of the run's calls are under
 * way: the moment a call ends the next goes out, without waiting for the
 * step that records its answer (a step costs several round trips and a
 * commit). Outcomes wake the driver, as do notifications (tasks made ready
 * elsewhere, gates resolved, agents' reports). Between wake-ups it sleeps:
 * nothing polls.
 */
export class RunDriver {
  private readonly outcomes: Outcome[] = [];
  private readonly abort = new AbortController();
  private wakeup: (() => void) | undefined;
  private woken = true;
  /** Whether claiming may find ready tasks (false once a claim came back short, until something becomes ready). */
  private readyHint = true;
  private done: Promise<void> | undefined;
  private claiming = true;
  private stepping: Promise<StepResult> | undefined;
  /** Ready tasks found no usable instance at the last claim: any change of the instance view may help. */
  waitingForInstance = false;
  /** Where the outcomes of this run's dispatches go. */
  readonly sink: OutcomeSink = (outcome) => {
    if (this.exited) {
      this.deps.fallbackSink(outcome); // a call that outlived its driver (lease lost): recorded all the same
      return;
    }
    this.outcomes.push(outcome);
    this.wake(false);
  };
  private exited = false;
  /** Pending progress notice (announceProgress). */
  private progressTimer: NodeJS.Timeout | undefined;
  /** Dispatches claimed and committed, waiting for a free slot of the run (see claimAhead). */
  private readonly held: Array<HeldDispatch & { readonly at: number }> = [];
  private expiry: NodeJS.Timeout | undefined;
  /** Moving average of how long the run's service calls take (ms); undefined until one answered. */
  private callMs: number | undefined;
  /** This driver's calls under way. */
  private running = 0;
  /** The run's max concurrency, as of the last step. */
  private limit = 0;
  /** The run's dispatches in flight that are not this driver's (an earlier driver's calls), as of the last step. */
  private foreign = 0;

  /** Names this driver in the notifications it causes (`<replica>/<run>`). */
  readonly by: string;

  constructor(
    readonly runId: string,
    private readonly deps: RunDriverDeps,
  ) {
    this.by = `${deps.owner}/${runId}`;
  }

  start(): void {
    // The root context: each dispatch of the run starts its own trace (not one endless trace under StartRun).
    this.done ??= context.with(ROOT_CONTEXT, () => this.loop());
  }

  /** Makes the driver step again soon; `mayBeReady`: tasks may have become ready. */
  wake(mayBeReady = true): void {
    if (mayBeReady) this.readyHint = true;
    this.woken = true;
    const wakeup = this.wakeup;
    this.wakeup = undefined;
    wakeup?.();
  }

  /**
   * Stops claiming new tasks (shutdown drain); outcomes are still recorded.
   * Resolves once a step in progress (which may have claimed tasks) has
   * launched its dispatches, so the caller can wait for them.
   */
  async pauseClaims(): Promise<void> {
    this.claiming = false;
    await this.stepping?.catch(() => undefined);
  }

  /** Stops driving, after recording the outcomes already in (in-flight dispatches are the caller's to abort). */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wake();
    await this.done;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    try {
      while (!this.abort.signal.aborted) {
        this.woken = false;
        let result: StepResult;
        try {
          this.stepping = this.step();
          result = await this.stepping;
          if (failures > 0) runStepFailures(this.deps.logger).succeeded("run step");
          failures = 0;
        } catch (err) {
          failures++;
          runStepFailures(this.deps.logger).failed("run step", err, { run: this.runId });
          await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** failures, 5000)));
          continue;
        }
        if (result === "finished") return;
        if (result === "idle" && !this.woken && this.outcomes.length === 0) {
          await new Promise<void>((resolve) => (this.wakeup = resolve));
        }
      }
    } finally {
      this.exited = true;
      await this.sendProgress().catch(this.progressFailed);
      this.releaseHeld();
      await this.flushOutcomes();
      this.deps.onExit(this.runId);
    }
  }

  /**
   * Delivers held dispatches while the run has free slots: called when a
   * step commits and the moment one of the run's calls ends (its answer
   * is recorded by a later step), with no step in between.
   */
  private pump(): void {
    while (!this.exited && this.held.length > 0 && this.running + this.foreign < this.limit) {
      // The oldest whose instance has a free slot now (instances were picked at claim time, slots have moved since);
      // when none has, one goes and waits in its instance's queue only if nothing of this run is under way to wake us.
      let next = this.held.findIndex((h) => h.abort.aborted || this.deps.dispatcher.hasRoom(h));
      if (next < 0) {
        if (this.running > 0) return;
        next = 0;
      }
      const held = this.held.splice(next, 1)[0]!;
      if (held.abort.aborted) {
        this.deps.dispatcher.drop(held); // closed meanwhile (StopRun, a gate, a sweep): never delivered
        continue;
      }
      if (performance.now() - held.at > HELD_LIMIT_MS) {
        this.giveBack(held);
        continue;
      }
      if (this.deps.dispatcher.lostInstance(held)) {
        this.giveBack(held, `instance "${held.dispatch.instance}" went down after it was picked`);
        continue;
      }
      this.running++;
      const started = performance.now();
      let live = true;
      const ended = (answered: boolean) => {
        if (!live) return;
        live = false;
        this.running--;
        // Sent and not answered here (an agent's dispatch works on): still in flight until a step counts it again.
        if (!answered && !held.abort.aborted) this.foreign++;
        this.pump();
      };
      this.deps.dispatcher.deliver(
        held,
        (outcome) => {
          // How long work takes: answered calls only (a failing instance answers at once and would pull the average down).
          if (held.dispatch.kind === "service" && outcome.kind === "completed") {
            const ms = performance.now() - started;
            this.callMs = this.callMs === undefined ? ms : 0.8 * this.callMs + 0.2 * ms;
          }
          this.sink(outcome);
          ended(true);
        },
        () => ended(false),
      );
    }
  }

  /**
   * Tells watchers (WatchRun on any replica) that the run progressed: one
   * notice per PROGRESS_NOTICE_MS at most, sent after the steps' commits
   * (a NOTIFY in a commit holds Postgres' notify lock through the WAL
   * flush and wakes every listening session). Phase changes and the run's
   * end are announced in their own transactions.
   */
  private announceProgress(): void {
    if (this.progressTimer) return;
    this.progressTimer = setTimeout(() => {
      this.sendProgress().catch(this.progressFailed);
    }, PROGRESS_NOTICE_MS);
  }

  /** Sends the pending progress notice now (the timer's, or the driver's last when it stops). */
  private sendProgress(): Promise<void> {
    if (!this.progressTimer) return Promise.resolve();
    clearTimeout(this.progressTimer);
    this.progressTimer = undefined;
    return announce(this.deps.db, { k: "runs", ids: [this.runId], by: this.by });
  }

  /** A lost progress notice only delays watchers until the next one (or the run's end, announced with it). */
  private readonly progressFailed = (err: unknown): void => this.deps.logger.warn({ err, run: this.runId }, "could not announce the run's progress");

  /** Gives a held dispatch back undelivered, as abandoned (its task is ready again, nothing counted). */
  private giveBack(held: HeldDispatch, why = `held over ${HELD_LIMIT_MS} ms without a free slot`): void {
    this.deps.dispatcher.drop(held);
    const { contextId, taskId } = held.dispatch;
    this.sink({ kind: "abandoned", contextId, taskId, error: `not delivered: ${why}` });
  }

  /** Gives back, once HELD_LIMIT_MS passed, what is still held then (a run whose slots stay busy). */
  private expireHeld(): void {
    if (this.expiry || this.held.length === 0) return;
    this.expiry = setTimeout(() => {
      this.expiry = undefined;
      const now = performance.now();
      for (let i = this.held.length - 1; i >= 0; i--) {
        if (now - this.held[i]!.at >= HELD_LIMIT_MS) this.giveBack(this.held.splice(i, 1)[0]!);
      }
      this.expireHeld();
    }, HELD_LIMIT_MS - (performance.now() - this.held[0]!.at));
    this.expiry.unref();
  }

  /** Held dispatches of a driver that stops: given back. */
  private releaseHeld(): void {
    clearTimeout(this.expiry);
    for (const held of this.held.splice(0)) this.giveBack(held, "the run's driver stopped");
  }

  /** Hands outcomes still buffered when the driver stops to the fallback sink, which records them. */
  private async flushOutcomes(): Promise<void> {
    for (const outcome of this.outcomes.splice(0)) this.deps.fallbackSink(outcome);
  }

  private async step(): Promise<StepResult> {
    const outcomes = this.outcomes.splice(0);
    let launch: PlannedDispatch[] = [];
    let result: StepResult = "idle";
    let decompose: RunState | undefined;
    let completed: string[] = [];
    let committing = 0;
    const hint = this.readyHint;
    try {
      await inTransaction(this.deps.db, async (tx) => {
        this.readyHint = hint; // a retried transaction starts from the same knowledge
        launch = [];
        completed = [];
        decompose = undefined;
        result = "idle";
        // This driver's dispatches still open in the database (held, under way, answered but not recorded).
        const mine = this.held.length + this.running + outcomes.length + this.outcomes.length;
        // The run row first (FOR SHARE: StopRun and Reset wait for this step), with its dispatches in flight, then its tasks.
        // The step's statements use plain index scans only (STEP_PLANNER, for this transaction).
        const runRows = await executePrepared(
          tx,
          "run_step",
          sql<RunState>`
          select r.status, r.lease_owner, r.max_concurrency, r.target, r.coordinator,
                 (select count(*) from tasks t where t.run_id = r.id and t.status = 'dispatched')::int as inflight,
                 ${STEP_PLANNER} as planner
          from runs r where r.id = ${this.runId} for share of r`,
        );
        const run = runRows[0];
        if (run) {
          this.foreign = Math.max(0, run.inflight - mine);
          this.limit = run.max_concurrency;
        }
        const changed: ChangedTask[] = [];
        if (outcomes.length > 0) {
          const settlement = await settleOutcomes(tx, outcomes, this.by, false);
          completed = settlement.completed.map((c) => c.id);
          changed.push(...changedTasks(settlement));
          if (run) run.inflight -= settlement.closed;
          if (settlement.promoted.length > 0 || settlement.retry.length > 0) this.readyHint = true;
        }
        if (!run || run.lease_owner !== this.deps.owner || !(ACTIVE_RUN_STATUSES as readonly string[]).includes(run.status)) {
          await announceRuns(tx, changed, this.by);
          result = "finished";
          return;
        }
        if (run.status === "decomposing") {
          decompose = run;
          return;
        }
        if (run.status === "merging") {
          await announceRuns(tx, changed, this.by);
          await mergeRun(tx, this.runId, this.deps.owner);
          result = "finished";
          return;
        }
        // Other runs whose tasks this step changed (dependents elsewhere) are woken at commit; this run's own progress
        // is announced after it, coalesced (announceProgress): a NOTIFY at commit cost every step about 0.25 ms.
        const others = changedRuns(changed, this.runId);
        const notice: SchedulerNotice | undefined = others.length > 0 ? { k: "runs", ids: others, by: this.by } : undefined;
        launch = await this.claim(tx, run, notice);
        if (!this.readyHint) result = await this.advancePhase(tx, run);
        if (launch.length === 0 && notice) await announce(tx, notice); // with dispatches it went out with their insert
        committing = performance.timeOrigin + performance.now();
      });
    } catch (err) {
      this.outcomes.unshift(...outcomes);
      this.readyHint = true;
      throw err;
    }
    if (completed.length > 0) this.deps.observer?.tasksCompleted?.(completed, committing);
    if (outcomes.length > 0 || launch.length > 0) this.announceProgress();
    const at = performance.now();
    this.held.push(...this.deps.dispatcher.hold(launch).map((h) => ({ ...h, at })));
    this.pump();
    this.expireHeld();
    // Let the pushes just delivered reach the sockets (HTTP/2 writes leave in the loop's check phase) before the next step's statements.
    if (launch.length > 0) await new Promise((r) => setImmediate(r));
    if (decompose) {
      await this.decompose();
      return "again";
    }
    return result === "idle" && this.outcomes.length > 0 ? "again" : result;
  }

  /** Claims ready tasks up to the free concurrency and beyond (see claimAhead), planning their dispatches (announcing `notice` with them). */
  private async claim(tx: Tx, run: RunState, notice: SchedulerNotice | undefined): Promise<PlannedDispatch[]> {
    if (!this.readyHint || !this.claiming) return [];
    const budget = run.max_concurrency + claimAhead(run.max_concurrency, this.callMs) - run.inflight;
    if (budget <= 0) return [];
    const { rows, decided } = await claimReadyTasks(tx, this.runId, budget);
    if (rows.length < budget) this.readyHint = false;
    const plan = await this.deps.dispatcher.plan(tx, rows, {
      defaultTarget: run.target,
      inject: true,
      claimed: true,
      prepare: true,
      decided,
      ...(notice ? { notice: JSON.stringify(notice) } : {}),
      ...(run.coordinator ? { sender: run.coordinator } : {}),
    });
    this.waitingForInstance = plan.unplaced.length > 0;
    if (plan.unplaced.length > 0) {
      // No usable instance now: wait until the instance view changes (health, activity, registrations).
      this.readyHint = false;
      this.deps.logger.warn({ run: this.runId, tasks: plan.unplaced.length, err: plan.unplaced[0]!.error }, "ready tasks wait for an instance");
    }
    return plan.planned;
  }

  /** With nothing left to claim: monitoring once only in-flight tasks remain, merging once none is open. */
  private async advancePhase(tx: Tx, run: RunState): Promise<StepResult> {
    const { waiting, inflight } = await openWork(tx, this.runId);
    if (!waiting && !inflight) {
      await setRunStatus(tx, this.runId, ["dispatching", "monitoring"], "merging", { owner: this.deps.owner });
      await announce(tx, { k: "runs", ids: [this.runId], by: this.by });
      return "again";
    }
    if (!waiting && run.status === "dispatching") {
      await setRunStatus(tx, this.runId, ["dispatching"], "monitoring", { owner: this.deps.owner });
      await announce(tx, { k: "runs", ids: [this.runId], by: this.by });
    }
    return "idle";
  }

  /** The `decomposing` phase: the graph (parsed at StartRun, or asked of the decomposer) becomes the run's tasks, with the phase change, in one transaction. */
  private async decompose(): Promise<void> {
    // The spec and parsed graph (large for big runs) are read here only, never by the steps.
    const run = await this.deps.db.selectFrom("runs").select(["spec", "graph"]).where("id", "=", this.runId).executeTakeFirst();
    if (!run) return;
    let graph = run.graph as RunGraph | null;
    try {
      graph ??= await this.deps.decomposer.decompose(run.spec, this.runId, this.abort.signal);
    } catch (err) {
      if (this.abort.signal.aborted) return;
      const error = (err as Error).message;
      this.deps.logger.warn({ run: this.runId, error }, "run decomposition failed");
      await inTransaction(this.deps.db, async (tx) => {
        await setRunStatus(tx, this.runId, ["decomposing"], "failed", { owner: this.deps.owner, error });
        await announce(tx, { k: "runs", ids: [this.runId], by: this.by });
      });
      return;
    }
    const runId = this.runId;
    await inTransaction(this.deps.db, async (tx) => {
      const updated = await setRunStatus(tx, runId, ["decomposing"], "dispatching", { owner: this.deps.owner, graph: graph! });
      if (!updated) return;
      await createTasksIn(
        tx,
        graph!.tasks.map((t) => ({
          id: `${runId}:${t.key}`,
          key: t.key,
          runId,
          spec: t.spec,
          deps: t.deps.map((d) => `${runId}:${d}`),
          ...(t.payload !== undefined ? { payload: t.payload } : {}),
          ...(t.target ? { target: t.target } : {}),
          ...(t.maxAttempts ? { maxAttempts: t.maxAttempts } : {}),
          ...(t.priority !== undefined ? { priority: t.priority } : {}),
          ...(t.timeoutMs ? { timeoutMs: t.timeoutMs } : {}),
        })),
        (i) => `tasks[${i}].`,
      );
      await announce(tx, { k: "runs", ids: [runId] });
    });
    if (graph.tasks.length >= ANALYZE_AFTER_TASKS) {
      // A bulk load: fresh statistics before the first claim (see analyzeTasks); a failure only costs speed.
      await analyzeTasks(this.deps.db).catch((err: unknown) => this.deps.logger.warn({ err, run: runId }, "could not refresh the tasks tables' statistics"));
    }
    this.readyHint = true;
  }
}

const stepFailureLogs = new WeakMap<Logger, RepeatedFailureLog>();

/** One failure log per replica logger: every run's driver failing through one outage makes one line, then summaries. */
function runStepFailures(logger: Logger): RepeatedFailureLog {
  let log = stepFailureLogs.get(logger);
  if (!log) stepFailureLogs.set(logger, (log = new RepeatedFailureLog(logger)));
  return log;
}
