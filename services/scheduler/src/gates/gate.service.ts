import type { Database, GateStatusName } from "@orchestrator/db";
import { InvalidArgumentError } from "@orchestrator/errors";
import type { Kysely } from "kysely";
import { closeLiveContexts } from "../dispatch/live-contexts.repository.js";
import { announce } from "../events/scheduler-notice.js";
import type { Tx } from "../shared/db.js";
import { inTransaction } from "../shared/in-transaction.js";
import { newId } from "../shared/new-id.js";
import { InvalidTransitionError, UnknownTaskError } from "../tasks/task-errors.js";
import { runCoordinator } from "../runs/run.repository.js";
import { findTask, lockTask } from "../tasks/task.repository.js";
import { announceRuns } from "../tasks/task.service.js";
import { failTasks, type ChangedTask } from "../tasks/task-transitions.js";
import type { TaskRecord } from "../tasks/task.js";
import { GateNotPendingError, InvalidResolutionError, UnknownGateError } from "./gate-errors.js";
import type { GateNotifier } from "./gate-notifier.js";
import { findGate, insertGate, listGates, lockGate, nextGateDeadline, resolvePendingGate, timeOutDueGates, unblockTask } from "./gate.repository.js";
import type { GateRecord, NewGate } from "./gate.js";

/**
 * Decision gates. Creating one blocks its task (closing a live dispatch)
 * and asks `notify`, else the coordinator of the task's run, else the
 * configured handle, with a `decision_gate` message;
 * resolving the task's last pending gate unblocks it (ready, or pending
 * while dependencies remain), and its decisions go into the next dispatch
 * preamble. Gates past their deadline time out: the default applies, or
 * without one the task fails (`gate_timeout`).
 */
export class GateService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly notifier: GateNotifier,
    private readonly defaultNotify: string,
    /** Called after a gate with a deadline commits (re-arms the timer). */
    private readonly onDeadline: (at: Date) => void = () => {},
  ) {}

  async create(input: NewGate): Promise<{ gate: GateRecord; task: TaskRecord }> {
    if (input.defaultOption && input.options.length > 0 && !input.options.includes(input.defaultOption)) {
      throw new InvalidArgumentError("default_option", `"${input.defaultOption}" is not one of the options (${input.options.join(", ")})`);
    }
    if (input.deadline && input.deadline.getTime() <= Date.now()) throw new InvalidArgumentError("deadline", "must be in the future");
    const gate = await inTransaction(this.db, (tx) => this.createIn(tx, input));
    const task = await findTask(this.db, gate.taskId);
    if (gate.deadlineAt) this.onDeadline(gate.deadlineAt);
    this.notifier.notify(gate, task?.spec ?? "");
    return { gate, task: task! };
  }

  /** Creates a gate inside the caller's transaction; an existing gate with the same id is returned as is. */
  async createIn(tx: Tx, input: NewGate): Promise<GateRecord> {
    const row = await lockTask(tx, input.taskId);
    if (!row) throw new UnknownTaskError(input.taskId);
    if (input.id) {
      const existing = await findGate(tx, input.id);
      if (existing) return existing;
    }
    if (row.status === "completed" || row.status === "failed") {
      throw new InvalidTransitionError(input.taskId, row.status, "blocked", "gates go on tasks that are not final");
    }
    const closed = row.status === "dispatched" ? await closeLiveContexts(tx, [row.id], input.closeAs ?? "gated") : [];
    if (row.status !== "blocked") {
      await tx.updateTable("tasks").set({ status: "blocked", updated_at: new Date() }).where("id", "=", row.id).execute();
    }
    const gate = await insertGate(tx, {
      id: input.id ?? newId("g"),
      taskId: row.id,
      question: input.question,
      options: input.options,
      defaultOption: input.defaultOption || null,
      deadline: input.deadline,
      timeoutMs: input.timeoutMs,
      notify: input.notify || (row.run_id ? await runCoordinator(tx, row.run_id) : undefined) || this.defaultNotify,
      source: input.source ?? "api",
    });
    await announce(tx, { k: "closed", ids: closed });
    await announceRuns(tx, [{ id: row.id, runId: row.run_id }]);
    if (gate!.deadlineAt) await announce(tx, { k: "gate", at: gate!.deadlineAt.toISOString() });
    return gate!;
  }

  /** Resolves a pending gate (one of its options when it has any). */
  async resolve(id: string, resolution: string, by: string): Promise<{ gate: GateRecord; task: TaskRecord }> {
    const gate = await inTransaction(this.db, async (tx) => {
      const current = await lockGate(tx, id);
      if (!current) throw new UnknownGateError(id);
      if (current.status !== "pending") throw new GateNotPendingError(current);
      if (current.options.length > 0 && !current.options.includes(resolution)) throw new InvalidResolutionError(current, resolution);
      const resolved = (await resolvePendingGate(tx, id, resolution, by))!;
      const unblocked = await unblockTask(tx, resolved.taskId);
      if (unblocked) await announceRuns(tx, [{ id: resolved.taskId, runId: unblocked.runId }]);
      return resolved;
    });
    return { gate, task: (await findTask(this.db, gate.taskId))! };
  }

  async list(filter: { taskId?: string; status?: GateStatusName; limit: number }): Promise<GateRecord[]> {
    return listGates(this.db, filter);
  }

  async get(id: string): Promise<GateRecord> {
    const gate = await findGate(this.db, id);
    if (!gate) throw new UnknownGateError(id);
    return gate;
  }

  /** Times out every gate past its deadline (compare-and-set: one replica wins each); returns how many. */
  async timeOutDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await inTransaction(this.db, async (tx) => {
        const due = await timeOutDueGates(tx, 100);
        const changed: ChangedTask[] = [];
        for (const gate of due) {
          if (gate.resolution !== null) {
            const unblocked = await unblockTask(tx, gate.taskId);
            if (unblocked) changed.push({ id: gate.taskId, runId: unblocked.runId });
            continue;
          }
          const failure = await failTasks(
            tx,
            [{ taskId: gate.taskId, error: `decision gate "${gate.id}" (${gate.question}) timed out without a default`, reason: "gate_timeout" }],
            ["blocked", "pending", "ready"],
          );
          changed.push(...failure.failed, ...failure.cascaded);
        }
        await announceRuns(tx, changed);
        return due.length;
      });
      total += count;
      if (count < 100) return total;
    }
  }

  /** The earliest deadline of a pending gate. */
  async nextDeadline(): Promise<Date | undefined> {
    return nextGateDeadline(this.db);
  }
}
