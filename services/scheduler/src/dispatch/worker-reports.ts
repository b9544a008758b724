import type { Message } from "@orchestrator/contracts";
import type { Database } from "@orchestrator/db";
import { sql, type Kysely } from "kysely";
import type { Logger } from "pino";
import { setTimeout as sleep } from "node:timers/promises";
import type { GateService } from "../gates/gate.service.js";
import type { GateRecord } from "../gates/gate.js";
import { describeError } from "../shared/describe-error.js";
import type { Tx } from "../shared/db.js";
import { inTransaction } from "../shared/in-transaction.js";
import type { ServiceClients } from "../shared/service-clients.js";
import type { ChangedTask } from "../tasks/task-transitions.js";
import { runCoordinator } from "../runs/run.repository.js";
import type { EscalationContext } from "./coordinator-relay.js";
import { inDispatchTrace } from "./dispatch-span.js";
import { settleOutcomes } from "./settle-outcomes.js";

/** What a worker report's payload may carry (see the dispatch preamble). */
interface ReportPayload {
  task?: unknown;
  dispatch?: unknown;
  result?: unknown;
  error?: unknown;
  options?: unknown;
}

/** What WorkerReports is built from. */
export interface WorkerReportsDeps {
  readonly db: Kysely<Database>;
  readonly clients: ServiceClients;
  /** The scheduler's mailbox handle. */
  readonly handle: string;
  readonly gates: GateService;
  /** Called after a report made tasks ready again outside runs (re-dispatch them). */
  readonly onRetry: (tasks: readonly ChangedTask[]) => void;
  /** Called after an escalation opened a gate (notify, arm its deadline). */
  readonly onGate: (gate: GateRecord) => void;
  /** Called after an escalation for a dispatch of a run with a coordinator was processed (copy it to the coordinator). */
  readonly onCoordinatedEscalation?: (message: Message, coordinator: string, about: EscalationContext) => void;
  readonly logger: Logger;
}

/**
 * Reads agents' answers to dispatches: `worker_done` and `escalation`
 * messages sent to the scheduler's handle, through one MailboxService
 * Subscribe stream per replica, resumed from a cursor kept in the database
 * (advanced in the transaction that processes each message), so a message
 * is never lost to a crash and nothing polls. Every replica reads every
 * report; processing is a compare-and-set on the dispatch context, so each
 * takes effect once:
 *
 * - `worker_done` completes the dispatch (result: `payload.result`, else
 *   the body as `{"summary": body}`); with `payload.error` it fails it;
 * - `escalation` closes the dispatch as `escalated` and opens a gate on the
 *   task (question: subject and body; options: `payload.options`);
 *   with `payload.error` (the agent runner's report of a failed run: a
 *   non-zero exit, a timeout) it is a failed attempt instead, so the retry
 *   and the circuit breaker take it from there.
 *
 * An escalation for a dispatch of a run with a coordinator (StartRun
 * `from`) is also handed to `onCoordinatedEscalation`, which copies it to
 * the coordinator's inbox; the gate it opens asks the coordinator too.
 *
 * Reports name the dispatch (`payload.dispatch`, else the thread id) or the
 * task (`payload.task`: its live dispatch); stale ones (the dispatch ended
 * already, e.g. timed out and re-dispatched) change nothing.
 */
export class WorkerReports {
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: WorkerReportsDeps) {}

  start(): void {
    this.abort = new AbortController();
    this.running = this.loop(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await this.running;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    let delay = 100;
    while (!signal.aborted) {
      try {
        const cursor = await this.cursor();
        const stream = this.deps.clients.mailbox().subscribe(
          { handle: this.deps.handle, afterSeq: BigInt(cursor), types: ["worker_done", "escalation"] },
          { signal, timeoutMs: 0 },
        );
        for await (const { message } of stream) {
          delay = 100;
          if (message) await this.process(message);
        }
      } catch (err) {
        if (signal.aborted) return;
        this.deps.logger.warn({ error: describeError(err) }, "worker report stream failed; resuming from the cursor");
      }
      await sleep(delay * (0.5 + Math.random()), undefined, { signal }).catch(() => undefined);
      delay = Math.min(delay * 2, 5000);
    }
  }

  private async cursor(): Promise<string> {
    const row = await this.deps.db.selectFrom("scheduler_cursors").select("last_seq").where("handle", "=", this.deps.handle).executeTakeFirst();
    return row?.last_seq ?? "0";
  }

  /**
   * Processes one report and advances the cursor, in one transaction, in a
   * span continuing the trace of the dispatch it answers.
   */
  async process(message: Message): Promise<void> {
    const dispatchId = this.dispatchIdOf(message);
    const traceparent = dispatchId
      ? ((await this.deps.db.selectFrom("dispatch_contexts").select("traceparent").where("id", "=", dispatchId).executeTakeFirst())?.traceparent ?? null)
      : null;
    await inDispatchTrace(
      `scheduler.${message.type}`,
      traceparent,
      { "orchestrator.message.id": message.id, "orchestrator.message.from": message.from, ...(dispatchId ? { "orchestrator.dispatch.id": dispatchId } : {}) },
      () => this.processInTrace(message),
    );
  }

  private dispatchIdOf(message: Message): string | undefined {
    const payload = parsePayload(message.payload);
    return typeof payload.dispatch === "string" ? payload.dispatch : message.threadId.startsWith("d-") ? message.threadId : undefined;
  }

  private async processInTrace(message: Message): Promise<void> {
    let retry: ChangedTask[] = [];
    let gate: GateRecord | undefined;
    let relay: { coordinator: string; about: EscalationContext } | undefined;
    await inTransaction(this.deps.db, async (tx) => {
      retry = [];
      gate = undefined;
      relay = undefined;
      const context = await this.contextOf(tx, message);
      if (context) {
        if (message.type === "worker_done") retry = await this.done(tx, message, context);
        else if (hasError(parsePayload(message.payload))) retry = await this.fail(tx, message, context);
        else gate = await this.escalate(tx, message, context);
        const coordinator = message.type === "escalation" && context.runId ? await runCoordinator(tx, context.runId) : undefined;
        if (coordinator) {
          relay = { coordinator, about: { taskId: context.taskId, dispatchId: context.id, runId: context.runId!, ...(gate ? { gateId: gate.id } : {}) } };
        }
      } else {
        this.deps.logger.info({ message: message.id, from: message.from, type: message.type }, "report for no live dispatch; ignored");
      }
      await tx
        .insertInto("scheduler_cursors")
        .values({ handle: this.deps.handle, last_seq: message.seq.toString() })
        .onConflict((oc) => oc.column("handle").doUpdateSet({ last_seq: sql`greatest(scheduler_cursors.last_seq, excluded.last_seq)` }))
        .execute();
    });
    if (retry.length > 0) this.deps.onRetry(retry);
    if (gate) this.deps.onGate(gate);
    if (relay) this.deps.onCoordinatedEscalation?.(message, relay.coordinator, relay.about);
  }

  private async contextOf(tx: Tx, message: Message): Promise<{ id: string; taskId: string; runId: string | null } | undefined> {
    const payload = parsePayload(message.payload);
    const dispatchId = this.dispatchIdOf(message);
    const taskId = typeof payload.task === "string" ? payload.task : undefined;
    if (!dispatchId && !taskId) return undefined;
    // Locked, so replicas reading the same report take turns; the second finds the dispatch closed.
    let q = tx.selectFrom("dispatch_contexts").select(["id", "task_id", "run_id", "status"]);
    q = dispatchId ? q.where("id", "=", dispatchId) : q.where("task_id", "=", taskId!).where("status", "=", "dispatched");
    const context = await q.forUpdate().executeTakeFirst();
    if (!context || context.status !== "dispatched") return undefined;
    if (taskId && context.task_id !== taskId) return undefined;
    return { id: context.id, taskId: context.task_id, runId: context.run_id };
  }

  private async done(tx: Tx, message: Message, context: { id: string; taskId: string }): Promise<ChangedTask[]> {
    const payload = parsePayload(message.payload);
    if (hasError(payload)) return this.fail(tx, message, context);
    const result = payload.result !== undefined ? payload.result : message.body ? { summary: message.body } : null;
    await settleOutcomes(tx, [{ kind: "completed", contextId: context.id, taskId: context.taskId, result, servedBy: message.from }]);
    return [];
  }

  /** A reported failure (`payload.error`): the attempt failed; the task is retried unless the circuit broke. */
  private async fail(tx: Tx, message: Message, context: { id: string; taskId: string }): Promise<ChangedTask[]> {
    const { error } = parsePayload(message.payload);
    const text = `${message.from} reported failure: ${typeof error === "string" ? error : JSON.stringify(error)}`;
    const settlement = await settleOutcomes(tx, [{ kind: "failed", contextId: context.id, taskId: context.taskId, error: text }]);
    return settlement.retry;
  }

  private async escalate(tx: Tx, message: Message, context: { id: string; taskId: string }): Promise<GateRecord> {
    const payload = parsePayload(message.payload);
    const options = Array.isArray(payload.options) ? [...new Set(payload.options.filter((o): o is string => typeof o === "string" && o !== ""))].slice(0, 32) : [];
    return this.deps.gates.createIn(tx, {
      id: `g-${message.id}`,
      taskId: context.taskId,
      question: `${message.from} escalated: ${message.subject}${message.body ? `\n\n${message.body}` : ""}`,
      options,
      source: "escalation",
      closeAs: "escalated",
    });
  }
}

function hasError(payload: ReportPayload): boolean {
  return payload.error !== undefined && payload.error !== null && payload.error !== false && payload.error !== "";
}

function parsePayload(text: string): ReportPayload {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as ReportPayload) : {};
  } catch {
    return {};
  }
}
