import type { Database } from "@orchestrator/db";
import { InvalidArgumentError } from "@orchestrator/errors";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Tx } from "../shared/db.js";
import { inTransaction } from "../shared/in-transaction.js";
import { newId } from "../shared/new-id.js";
import { SerialBatcher } from "../shared/serial-batcher.js";
import { TaskNotReadyError, UnknownTaskError } from "../tasks/task-errors.js";
import { findTask, lockTask } from "../tasks/task.repository.js";
import type { ChangedTask } from "../tasks/task-transitions.js";
import { createTasksIn } from "../tasks/task.service.js";
import type { TaskRecord } from "../tasks/task.js";
import { findContext, listContexts } from "./dispatch-context.repository.js";
import type { DispatchContextRecord } from "./dispatch-context.js";
import { renderPreamble } from "./dispatch-preamble.js";
import type { Dispatcher, Plan, PlannedDispatch } from "./dispatcher.js";
import { taskHolder, type PoolAllocator } from "./pool-allocator.js";
import type { Outcome, OutcomeSink } from "./outcome.js";
import { settleOutcomes } from "./settle-outcomes.js";
import { RepeatedFailureLog } from "@orchestrator/rpc";

/** Options of a manual dispatch (the Dispatch RPC). */
export interface DispatchOptions {
  /** Selector or handle; default: the task's target. */
  readonly to: string;
  readonly inject: boolean;
  /** Handle agents answer to; default: the scheduler's. */
  readonly from: string;
}

/** A pool dispatch: an agent allocated from `pool` (provisioned if need be) takes an existing task or a new one. */
export interface PoolDispatchOptions {
  readonly pool: string;
  /** A ready task, or… */
  readonly taskId?: string;
  /** …the spec of a task to create (target `@pool:<pool>`). */
  readonly command?: string;
  /** Handle agents answer to; default: the scheduler's. */
  readonly from: string;
  /** Wait for a free agent when the pool is at its maximum. */
  readonly wait: boolean;
  readonly waitTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** What a dispatch made. */
export interface DispatchResult {
  readonly context: DispatchContextRecord;
  readonly task: TaskRecord;
  /** The agent was provisioned for this dispatch (pool dispatch). */
  readonly provisioned: boolean;
}

/**
 * Dispatches outside runs: the Dispatch RPC, dispatch-show, and what
 * follows a dispatch of a task that belongs to no run: its outcome is
 * settled (batched) and, after a failure that did not break the circuit,
 * the task is dispatched again to the same target, another instance first.
 * Tasks of runs go back to `ready` and their run's driver dispatches them.
 */
export class DispatchService {
  private readonly outcomes: SerialBatcher<Outcome>;
  private retrying = true;
  /** Where the outcomes of dispatches made here go. */
  readonly sink: OutcomeSink;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dispatcher: Dispatcher,
    private readonly allocator: PoolAllocator,
    private readonly logger: Logger,
  ) {
    const failures = new RepeatedFailureLog(logger);
    this.outcomes = new SerialBatcher(
      (batch) => this.settle(batch),
      (err, batch) => failures.failed("recording dispatch outcomes", err, { contexts: batch.slice(0, 10).map((o) => o.contextId) }),
    );
    this.sink = (outcome) => this.outcomes.push(outcome);
  }

  /** Dispatches a ready task now (FAILED_PRECONDITION `task_not_ready` otherwise); nothing changes when no instance can take it. */
  async dispatch(taskId: string, options: DispatchOptions): Promise<DispatchResult> {
    const plan = await inTransaction(this.db, (tx) => this.planOne(tx, taskId, options));
    return this.launched(plan.planned[0]!, false);
  }

  /** Creates a task from `command` (target: `to`, required) and dispatches it, in one transaction: no instance, no task. */
  async dispatchNew(command: string, options: DispatchOptions): Promise<DispatchResult> {
    if (!options.to) throw new InvalidArgumentError("to", "required with command: where to dispatch the new task (or pass pool)");
    const taskId = newId("t");
    const plan = await inTransaction(this.db, async (tx) => {
      await createTasksIn(tx, [{ id: taskId, spec: command, deps: [], target: options.to }], () => "");
      return this.planOne(tx, taskId, options);
    });
    return this.launched(plan.planned[0]!, false);
  }

  private async planOne(tx: Tx, taskId: string, options: DispatchOptions): Promise<Plan> {
    const row = await lockTask(tx, taskId);
    if (!row) throw new UnknownTaskError(taskId);
    if (row.status !== "ready") throw new TaskNotReadyError(taskId, row.status);
    if (!options.to && !row.target) throw new InvalidArgumentError("to", `required: task "${taskId}" has no target`);
    const plan = await this.dispatcher.plan(tx, [row], {
      ...(options.to ? { to: options.to } : {}),
      inject: options.inject,
      ...(options.from ? { replyTo: options.from } : {}),
      field: "to",
    });
    if (plan.unplaced.length > 0) throw plan.unplaced[0]!.error;
    return plan;
  }

  /**
   * Dispatches to the next idle agent of a pool: allocates one first
   * (holder `task:<id>`; the health service provisions `NAME-N+1` when none
   * is idle, or waits, or answers RESOURCE_EXHAUSTED), then records the
   * task (when `command` is given) and its dispatch in one transaction. An
   * error before that commit releases the allocation and leaves no task.
   * The preamble always goes with it; the context's target is
   * `@pool:<pool>`, so a re-dispatch goes to another agent of the pool.
   */
  async dispatchToPool(options: PoolDispatchOptions): Promise<DispatchResult> {
    const taskId = options.taskId || newId("t");
    if (options.taskId) {
      const task = await findTask(this.db, taskId);
      if (!task) throw new UnknownTaskError(taskId);
      if (task.status !== "ready") throw new TaskNotReadyError(taskId, task.status);
    }
    const holder = taskHolder(taskId);
    const agent = await this.allocator.allocate(options.pool, holder, {
      wait: options.wait,
      ...(options.waitTimeoutMs !== undefined ? { timeoutMs: options.waitTimeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    try {
      const plan = await inTransaction(this.db, async (tx) => {
        if (options.command) await createTasksIn(tx, [{ id: taskId, spec: options.command, deps: [], target: `@pool:${options.pool}` }], () => "");
        const row = await lockTask(tx, taskId);
        if (!row) throw new UnknownTaskError(taskId);
        if (row.status !== "ready") throw new TaskNotReadyError(taskId, row.status);
        const plan = await this.dispatcher.plan(tx, [row], {
          to: `@pool:${options.pool}`,
          instance: { name: agent.name, kind: agent.kind },
          inject: true,
          ...(options.from ? { replyTo: options.from } : {}),
          field: "pool",
        });
        if (plan.unplaced.length > 0) throw plan.unplaced[0]!.error;
        return plan;
      });
      return await this.launched(plan.planned[0]!, agent.provisioned);
    } catch (err) {
      await this.allocator.release(agent.name, holder);
      throw err;
    }
  }

  private async launched(planned: PlannedDispatch, provisioned: boolean): Promise<DispatchResult> {
    this.dispatcher.launch([planned], this.sink);
    const context = await findContext(this.db, planned.contextId);
    const task = await findTask(this.db, planned.taskId);
    return { context: withPreamble(context!, task!.spec), task: task!, provisioned };
  }

  /** A task's contexts: the latest and every attempt. */
  async show(taskId: string): Promise<{ current: DispatchContextRecord | undefined; history: DispatchContextRecord[] }> {
    const task = await findTask(this.db, taskId);
    if (!task) throw new UnknownTaskError(taskId);
    const history = (await listContexts(this.db, taskId)).map((c) => withPreamble(c, task.spec));
    return { current: history.at(-1), history };
  }

  /** Records outcomes reported elsewhere (sweeps, worker reports) and re-dispatches what they made ready again. */
  async settle(outcomes: readonly Outcome[]): Promise<void> {
    const settlement = await inTransaction(this.db, (tx) => settleOutcomes(tx, outcomes));
    await this.retry(settlement.retry);
  }

  /** Shutdown: no more re-dispatches (the tasks stay ready; Dispatch them again by hand). */
  stopRetrying(): void {
    this.retrying = false;
  }

  /** Dispatches again the tasks (outside runs) that are ready after a failed or abandoned dispatch. */
  async retry(tasks: readonly ChangedTask[]): Promise<void> {
    for (const task of tasks) {
      if (!this.retrying) return;
      if (task.runId) continue;
      try {
        const plan = await inTransaction(this.db, async (tx) => {
          const row = await tx.selectFrom("tasks").selectAll().where("id", "=", task.id).where("status", "=", "ready").forUpdate().skipLocked().executeTakeFirst();
          if (!row || row.attempts === 0) return undefined;
          return this.dispatcher.plan(tx, [row]);
        });
        if (!plan) continue;
        for (const { taskId, error } of plan.unplaced) this.logger.warn({ task: taskId, err: error }, "task left ready: no instance can take it now");
        this.dispatcher.launch(plan.planned, this.sink);
      } catch (err) {
        this.logger.error({ err, task: task.id }, "could not re-dispatch task");
      }
    }
  }

  /** Resolves once every outcome reported so far is recorded. */
  async idle(): Promise<void> {
    await this.outcomes.idle();
  }
}

/** A context with its preamble: stored for agents and decided tasks, rendered (no decisions) for the others. */
function withPreamble(c: DispatchContextRecord, spec: string): DispatchContextRecord {
  if (c.preamble !== "") return c;
  return {
    ...c,
    preamble: renderPreamble({ taskId: c.taskId, dispatchId: c.id, attempt: c.attempt, spec, instance: c.instance, replyTo: c.replyTo, runId: c.runId, decisions: [] }),
  };
}
