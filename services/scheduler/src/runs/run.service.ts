import type { SchedulerConfig } from "@orchestrator/config";
import type { Database } from "@orchestrator/db";
import { DomainError, InvalidArgumentError } from "@orchestrator/errors";
import { parseSelector } from "@orchestrator/selector";
import { sql, type Kysely } from "kysely";
import { announce } from "../events/scheduler-notice.js";
import type { SchedulerEvents } from "../events/scheduler-events.js";
import { inTransaction } from "../shared/in-transaction.js";
import { newId } from "../shared/new-id.js";
import { failTasks } from "../tasks/task-transitions.js";
import { announceRuns } from "../tasks/task.service.js";
import { NoDecomposerError, type Decomposer } from "./decomposer.js";
import { parseRunSpec, type SpecFormat } from "./parse-run-spec.js";
import { RunFinishedError, UnknownRunError } from "./run-errors.js";
import type { RunSupervisor } from "./run-supervisor.js";
import { countRunTasks, findRun, insertRun, listRuns, runningTasks, setRunStatus } from "./run.repository.js";
import { reloadGap } from "./reload-gap.js";
import { SharedLoads } from "./shared-loads.js";
import { ACTIVE_RUN_STATUSES, emptyCounts, type RunningTask, type RunRecord, type RunStatus, type TaskCounts } from "./run.js";

/** A run with its progress. */
export interface RunView {
  readonly run: RunRecord;
  readonly counts: TaskCounts;
  readonly running: readonly RunningTask[];
}

/** One WatchRun event. */
export interface RunEvent extends RunView {
  readonly event: "snapshot" | "progress" | "finished";
}

/** What StartRun takes. */
export interface StartRunInput {
  readonly spec: string;
  readonly format: SpecFormat;
  readonly maxConcurrency: number;
  readonly target: string;
  /** The run's coordinator handle; "" for none. */
  readonly from: string;
}

/**
 * Coordinator runs: StartRun parses the spec (errors come back at once and
 * create nothing), records the run leased to this replica and hands it to
 * the supervisor, which drives it in the background; reads, the WatchRun
 * stream (woken by notifications), and StopRun.
 */
export class RunService {
  /** Reloads of a watched run's view, shared by its WatchRun streams here; undefined once the run is gone (Reset). */
  readonly #reloads = new SharedLoads<RunView | undefined>(async (id) => {
    const run = await findRun(this.db, id, false);
    return run && this.withProgress(run);
  });

  constructor(
    private readonly db: Kysely<Database>,
    private readonly config: SchedulerConfig,
    private readonly owner: string,
    private readonly supervisor: RunSupervisor,
    private readonly decomposer: Decomposer,
    private readonly events: SchedulerEvents,
  ) {}

  async start(input: StartRunInput): Promise<RunView> {
    const parsed = parseRunSpec(input.spec, input.format);
    if (parsed.kind === "text" && !this.decomposer.configured) throw new NoDecomposerError();
    if (input.target) {
      try {
        parseSelector(input.target, "target");
      } catch (err) {
        throw err instanceof DomainError ? err : new InvalidArgumentError("target", "invalid selector");
      }
    }
    const graph = parsed.kind === "graph" ? parsed.graph : null;
    const run = await inTransaction(this.db, async (tx) => {
      const inserted = await insertRun(tx, {
        id: newId("r"),
        spec: input.spec,
        specFormat: parsed.kind === "graph" ? parsed.format : "text",
        graph,
        maxConcurrency: input.maxConcurrency || graph?.maxConcurrency || this.config.maxConcurrency,
        target: input.target || graph?.target || "@healthy",
        coordinator: input.from || null,
        owner: this.owner,
        leaseMs: this.config.leaseMs,
      });
      await announce(tx, { k: "runs", ids: [inserted.id] });
      return inserted;
    });
    this.supervisor.adopt(run.id);
    return { run, counts: emptyCounts(), running: [] };
  }

  /** A run with its progress; `full`: with its spec and result. */
  async get(id: string, full = true): Promise<RunView> {
    const run = await findRun(this.db, id, full);
    if (!run) throw new UnknownRunError(id);
    return this.withProgress(run);
  }

  /** A run's task counts and, while it is active, its running tasks. */
  private async withProgress(run: RunRecord): Promise<RunView> {
    const counts = (await countRunTasks(this.db, [run.id])).get(run.id)!;
    return { run, counts, running: ACTIVE_RUN_STATUSES.includes(run.status) ? await runningTasks(this.db, run.id) : [] };
  }

  async list(filter: { status?: RunStatus | "active"; limit: number }): Promise<Array<{ run: RunRecord; counts: TaskCounts }>> {
    const runs = await listRuns(this.db, filter);
    const counts = await countRunTasks(this.db, runs.map((r) => r.id));
    return runs.map((run) => ({ run, counts: counts.get(run.id)! }));
  }

  /** Stops a run: live dispatches cancelled, open tasks failed (`run_stopped`, dependents elsewhere with them). */
  async stop(id: string, reason: string): Promise<RunView> {
    await inTransaction(this.db, async (tx) => {
      const run = await tx.selectFrom("runs").select(["status"]).where("id", "=", id).forUpdate().executeTakeFirst();
      if (!run) throw new UnknownRunError(id);
      if (!ACTIVE_RUN_STATUSES.includes(run.status)) throw new RunFinishedError(id, run.status);
      await setRunStatus(tx, id, ACTIVE_RUN_STATUSES, "stopped", { error: reason || "stopped" });
      await tx
        .updateTable("dispatch_contexts")
        .set({ status: "cancelled", error: "run stopped", finished_at: sql<Date>`now()` })
        .where("run_id", "=", id)
        .where("status", "=", "dispatched")
        .execute();
      const open = await tx.selectFrom("tasks").select("id").where("run_id", "=", id).where("status", "not in", ["completed", "failed"]).orderBy("id").execute();
      const failure = await failTasks(
        tx,
        open.map((t) => ({ taskId: t.id, error: `run stopped${reason ? `: ${reason}` : ""}`, reason: "run_stopped" as const })),
        ["pending", "ready", "dispatched", "blocked"],
      );
      await announce(tx, { k: "closed", run: id });
      await announce(tx, { k: "runs", ids: [id] });
      await announceRuns(tx, failure.cascaded);
    });
    return this.get(id);
  }

  /**
   * A run's progress: a snapshot, then an event per committed change
   * (coalesced: a slow reader gets the latest state, not every step; a
   * stream reloads at most every 100 ms, and less often when a reload takes
   * long, see reloadGap; the streams of one run share their reloads), and a
   * final `finished` event with the result once the run ended. Woken by
   * notifications, never polling.
   */
  async *watch(id: string, signal: AbortSignal): AsyncGenerator<RunEvent> {
    /** When the first change since the last reload was heard of (undefined: none). */
    let dirtySince: number | undefined;
    let wake: (() => void) | undefined;
    const poke = () => {
      dirtySince ??= performance.now();
      wake?.();
    };
    const unsubscribe = this.events.subscribe((n) => {
      if ((n.k === "runs" && n.ids.includes(id)) || n.k === "reset") poke();
    });
    const unresync = this.events.onResync(poke);
    const onAbort = () => wake?.();
    signal.addEventListener("abort", onAbort);
    try {
      let loadedAt = performance.now();
      let view = await this.get(id, false);
      // The snapshot's load sets the first gap too: a big run's first reload waits as long as the later ones.
      let gap = reloadGap(performance.now() - loadedAt);
      if (!ACTIVE_RUN_STATUSES.includes(view.run.status)) {
        yield { event: "finished", ...(await this.get(id)) };
        return;
      }
      yield { event: "snapshot", ...view };
      let last = fingerprint(view);
      while (!signal.aborted) {
        if (dirtySince === undefined) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        if (signal.aborted) return;
        // Coalesce bursts: at most one reload per gap, however many commits a busy run makes.
        const wait = gap - (performance.now() - loadedAt);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (signal.aborted) return;
        const since = dirtySince ?? performance.now();
        dirtySince = undefined;
        loadedAt = performance.now();
        const reloaded = await this.#reloads.get(id, since);
        gap = reloadGap(performance.now() - loadedAt);
        if (!reloaded) return;
        view = reloaded;
        if (!ACTIVE_RUN_STATUSES.includes(view.run.status)) {
          yield { event: "finished", ...(await this.get(id)) };
          return;
        }
        const now = fingerprint(view);
        if (now === last) continue;
        last = now;
        yield { event: "progress", ...view };
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      unsubscribe();
      unresync();
    }
  }
}

function fingerprint(view: RunView): string {
  return JSON.stringify([view.run.status, view.counts, view.running.map((r) => [r.taskId, r.instance, r.attempt]), view.run.owner]);
}
