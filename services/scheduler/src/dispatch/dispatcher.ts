import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { context, SpanStatusCode } from "@opentelemetry/api";
import { ValueSchema, type Value } from "@bufbuild/protobuf/wkt";
import type { SchedulerConfig } from "@orchestrator/config";
import type { Database } from "@orchestrator/db";
import { WorkResponseSchema } from "@orchestrator/contracts";
import type { Routing } from "@orchestrator/routing";
import { preEncode } from "@orchestrator/rpc";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { describeError } from "../shared/describe-error.js";
import type { Tx } from "../shared/db.js";
import { valueToJson } from "../shared/json-value.js";
import { newId } from "../shared/new-id.js";
import type { ServiceClients } from "../shared/service-clients.js";
import type { TaskRow } from "../tasks/task.js";
import { insertContexts, liveAgentDispatches, loadDecisions, loadHistories, markSent, type ContextInsert } from "./dispatch-context.repository.js";
import type { DispatchKind } from "./dispatch-context.js";
import { renderPreamble, type PreambleDecision } from "./dispatch-preamble.js";
import type { InflightCalls } from "./inflight-calls.js";
import type { OutcomeSink } from "./outcome.js";
import { dispatchContext, startDispatchSpan, type DispatchSpan } from "./dispatch-span.js";
import { pickInstance, type PickableInstance } from "./pick-instance.js";
import { assignmentMessage } from "./work-messages.js";
import type { CallAbort } from "./call-abort.js";
import type { Assignment, WorkerStreams } from "./worker-streams.js";

/** Extra time past a service dispatch's own deadline before a sweep may time it out (its caller records the answer first). */
export const SERVICE_DEADLINE_GRACE_MS = 5000;
/** How long an agent dispatch may stay unsent (its message not delivered) before a sweep abandons it. */
export const AGENT_SEND_TIMEOUT_MS = 30_000;

/** A dispatch recorded in a transaction, to launch once it commits. */
export interface PlannedDispatch {
  readonly contextId: string;
  readonly taskId: string;
  readonly runId: string | null;
  readonly attempt: number;
  readonly target: string;
  readonly instance: string;
  readonly kind: DispatchKind;
  readonly inject: boolean;
  readonly replyTo: string;
  /** The `from` of an agent's dispatch message: the run's coordinator, else `replyTo`. */
  readonly sender: string;
  /** Rendered for agents and tasks with decisions; "" for other service dispatches (a function of the context, rendered on read). */
  readonly preamble: string;
  readonly spec: string;
  readonly payload: JsonValue;
  readonly timeoutMs: number;
  readonly decisions: readonly PreambleDecision[];
  /** The dispatch's span; its call runs inside it. */
  readonly span: DispatchSpan;
  /** A service dispatch's assignment, built and encoded ahead (Dispatcher.prepare); built at delivery when absent. */
  assignment?: ServiceAssignment;
}

/** A service dispatch's assignment: the request Execute would carry, with its payload and metadata made. */
type ServiceAssignment = Assignment & { readonly request: { readonly workId: string; readonly payload: Value; readonly attempt: number; readonly metadata: Record<string, string> } };

/** What planning a dispatch reads of its task (a full TaskRow will do). */
export type DispatchableTask = Pick<TaskRow, "id" | "run_id" | "spec" | "payload" | "target" | "attempts" | "timeout_ms">;

/** A committed dispatch registered as in flight, not delivered yet (see Dispatcher.hold). */
export interface HeldDispatch {
  readonly dispatch: PlannedDispatch;
  /** Aborted when its context is closed elsewhere (StopRun, a gate, a sweep) or at shutdown. */
  readonly abort: CallAbort;
}

/** How dispatches of a batch are addressed; unset fields come from the task's last dispatch, then the task. */
export interface PlanOptions {
  /** Selector or handle; wins over the last dispatch's and the task's target. */
  readonly to?: string;
  /** Used when neither `to`, a previous dispatch nor the task names a target (a run's target). */
  readonly defaultTarget?: string;
  readonly inject?: boolean;
  readonly replyTo?: string;
  /**
   * The sender agents see on their dispatch messages (a run's coordinator);
   * their answers still go to `replyTo`. @default replyTo
   */
  readonly sender?: string;
  /** Request field of `to`, for errors. */
  readonly field?: string;
  /**
   * The rows were claimed already (marked `dispatched`, attempt counted, as
   * claimReadyTasks does); tasks that cannot be placed are put back to `ready`.
   */
  readonly claimed?: boolean;
  /** Ids of the tasks with decided gates (when the caller knows; otherwise they are looked up). */
  readonly decided?: ReadonlySet<string>;
  /** A notification payload to send with the contexts' insert (when anything is dispatched). */
  readonly notice?: string;
  /**
   * Build and encode the Work-stream pushes (see prepare) while the
   * contexts' insert is in flight, so they cost nothing after the commit:
   * for a caller that delivers the moment it commits (a run step).
   */
  readonly prepare?: boolean;
  /**
   * The instance, chosen already (an agent allocated from a pool): no pick;
   * the context still records `to` as its target, so a re-dispatch selects
   * again from it.
   */
  readonly instance?: { readonly name: string; readonly kind: DispatchKind };
}

/** Result of planning: dispatches recorded, and tasks that could not be placed (no usable instance now). */
export interface Plan {
  readonly planned: PlannedDispatch[];
  readonly unplaced: Array<{ taskId: string; error: unknown }>;
}

/** What a Dispatcher is built from. */
export interface DispatcherDeps {
  readonly db: Kysely<Database>;
  readonly config: SchedulerConfig;
  /** This replica's id (the owner recorded on contexts). */
  readonly owner: string;
  /** Routing (libs/routing): the instance view dispatch selects from, and direct Execute delivery. */
  readonly routing: Pick<Routing, "view" | "outliers" | "route">;
  /** Work streams held to this replica: service dispatches to their instances are pushed. */
  readonly streams: WorkerStreams;
  readonly inflight: InflightCalls;
  readonly clients: ServiceClients;
  readonly logger: Logger;
}

/**
 * Turns ready tasks into dispatches: `plan` (inside the caller's
 * transaction, which holds the task rows locked) picks an instance for each
 * task, renders its preamble, records its context and marks it
 * `dispatched`; `launch` (after commit) delivers them: Route for services,
 * a `dispatch` message for agents, reporting each outcome to a sink.
 */
export class Dispatcher {
  private picks = 0;

  constructor(private readonly deps: DispatcherDeps) {}

  /** Plans dispatches of `rows` (tasks locked by the caller, status `ready`). */
  async plan(tx: Tx, rows: readonly DispatchableTask[], options: PlanOptions = {}): Promise<Plan> {
    const { config } = this.deps;
    const plan: Plan = { planned: [], unplaced: [] };
    if (rows.length === 0) return plan;
    const ids = rows.map((r) => r.id);
    const priorAttempts = (r: DispatchableTask) => (options.claimed ? r.attempts - 1 : r.attempts);
    const histories = await loadHistories(tx, rows.filter((r) => priorAttempts(r) > 0).map((r) => r.id));
    const decisions = await loadDecisions(tx, options.decided ? ids.filter((id) => options.decided!.has(id)) : ids);
    const instances = this.instances();
    // Agents work on their dispatches long after the message went out: count their live dispatches as load.
    const agentLoad = instances.some((i) => i.kind === "agent") ? await liveAgentDispatches(tx) : new Map<string, number>();
    const batchLoad = new Map<string, number>();
    const inserts: ContextInsert[] = [];
    for (const row of rows) {
      const history = histories.get(row.id);
      const target = options.to || history?.last?.target || row.target || options.defaultTarget;
      if (!target) {
        plan.unplaced.push({ taskId: row.id, error: new Error(`task "${row.id}" has no target: pass one (to) or create it with one`) });
        continue;
      }
      let picked: { instance: string; kind: DispatchKind };
      try {
        picked = options.instance
          ? { instance: options.instance.name, kind: options.instance.kind }
          : pickInstance(target, instances, {
              tried: history?.tried ?? [],
              load: (name) => this.deps.inflight.load(name) + (agentLoad.get(name) ?? 0) + (batchLoad.get(name) ?? 0),
              tieBreaker: this.picks++,
              ...(options.field ? { field: options.field } : {}),
            });
      } catch (error) {
        plan.unplaced.push({ taskId: row.id, error });
        continue;
      }
      batchLoad.set(picked.instance, (batchLoad.get(picked.instance) ?? 0) + 1);
      const contextId = newId("d");
      const attempt = priorAttempts(row) + 1;
      const replyTo = options.replyTo || history?.last?.replyTo || config.handle;
      const taskDecisions = decisions.get(row.id) ?? [];
      const timeoutMs = row.timeout_ms ?? (picked.kind === "agent" ? config.agentTimeoutMs : config.dispatchTimeoutMs);
      // Stored for agents (their message carries it) and decided tasks; a service dispatch's is rendered on read.
      const preamble =
        picked.kind === "agent" || taskDecisions.length > 0
          ? renderPreamble({ taskId: row.id, dispatchId: contextId, attempt, spec: row.spec, instance: picked.instance, replyTo, runId: row.run_id, decisions: taskDecisions })
          : "";
      const span = startDispatchSpan({
        "orchestrator.task.id": row.id,
        "orchestrator.dispatch.id": contextId,
        "orchestrator.dispatch.attempt": attempt,
        "orchestrator.instance": picked.instance,
        "orchestrator.dispatch.kind": picked.kind,
        ...(row.run_id ? { "orchestrator.run.id": row.run_id } : {}),
      });
      const dispatch: PlannedDispatch = {
        contextId,
        taskId: row.id,
        runId: row.run_id,
        attempt,
        target,
        instance: picked.instance,
        kind: picked.kind,
        inject: options.inject ?? history?.last?.inject ?? false,
        replyTo,
        sender: options.sender || replyTo,
        preamble,
        spec: row.spec,
        payload: (row.payload ?? { task: row.id, spec: row.spec }) as JsonValue,
        timeoutMs,
        decisions: taskDecisions,
        span,
      };
      plan.planned.push(dispatch);
      inserts.push({
        ...dispatch,
        id: contextId,
        owner: this.deps.owner,
        timeoutMs: picked.kind === "agent" ? AGENT_SEND_TIMEOUT_MS : timeoutMs + SERVICE_DEADLINE_GRACE_MS,
        traceparent: span.traceparent,
        traceId: span.traceId,
      });
    }
    if (plan.planned.length > 0) {
      const inserting = insertContexts(tx, inserts, options.notice);
      // Runs once the insert is sent (setImmediate: after the microtasks that write it), while Postgres executes it.
      if (options.prepare) setImmediate(prepareQuietly, this, plan.planned);
      await inserting;
      if (!options.claimed) {
        await tx
          .updateTable("tasks")
          .set((eb) => ({ status: "dispatched", attempts: eb("attempts", "+", 1), updated_at: new Date() }))
          .where("id", "in", plan.planned.map((p) => p.taskId))
          .where("status", "=", "ready")
          .execute();
      }
    }
    if (options.claimed && plan.unplaced.length > 0) {
      await tx
        .updateTable("tasks")
        .set((eb) => ({ status: "ready", attempts: eb("attempts", "-", 1) }))
        .where("id", "in", plan.unplaced.map((u) => u.taskId))
        .where("status", "=", "dispatched")
        .execute();
    }
    return plan;
  }

  /**
   * The instances to choose from, as the router's outlier detection sees
   * them: one whose connection failed lately counts as down, an ejected one
   * as degraded (taken only when no healthy one is left).
   */
  private instances(): PickableInstance[] {
    const { view, outliers } = this.deps.routing;
    return view.list().map((i) => {
      if (i.kind !== "service" || (i.health !== "healthy" && i.health !== "degraded")) return i;
      if (outliers.unreachable(i.name)) return { ...i, health: "down" };
      if (i.health === "healthy" && outliers.ejected(i.name)) return { ...i, health: "degraded" };
      return i;
    });
  }

  /** Delivers committed dispatches; each one's outcome goes to `sink` (none when its call was aborted). */
  launch(planned: readonly PlannedDispatch[], sink: OutcomeSink): void {
    for (const held of this.hold(planned)) this.deliver(held, sink);
  }

  /**
   * Registers committed dispatches as in flight before they are delivered
   * (a run driver holds them until a slot of its run frees): StopRun, a
   * closed context or shutdown aborts them like calls under way, and the
   * shutdown drain waits for them.
   */
  hold(planned: readonly PlannedDispatch[]): HeldDispatch[] {
    return planned.map((dispatch) => ({ dispatch, abort: this.deps.inflight.add(dispatch.contextId, dispatch.runId, dispatch.instance) }));
  }

  /** Whether delivering `held` now would reach its instance at once (not wait in its Work stream's queue for a slot). */
  hasRoom({ dispatch }: HeldDispatch): boolean {
    const { streams } = this.deps;
    return dispatch.kind !== "service" || !streams.has(dispatch.instance) || streams.credit(dispatch.instance) > 0;
  }

  /**
   * Whether a held service dispatch's instance went down since it was
   * picked (the health service reports it down, or its connections fail):
   * delivering it would only fail an attempt; it is better given back and
   * planned again.
   */
  lostInstance({ dispatch }: HeldDispatch): boolean {
    if (dispatch.kind !== "service" || this.deps.streams.has(dispatch.instance)) return false;
    const { view, outliers } = this.deps.routing;
    return view.get(dispatch.instance)?.health === "down" || outliers.unreachable(dispatch.instance);
  }

  /** Delivers a held dispatch; its outcome goes to `sink` (none when its call was aborted); `ended` once its call is over. */
  deliver(held: HeldDispatch, sink: OutcomeSink, ended?: () => void): void {
    const { dispatch, abort } = held;
    context
      .with(dispatchContext(dispatch.span.span), () => (dispatch.kind === "service" ? this.route(dispatch, abort, sink) : this.send(dispatch, abort, sink)))
      .catch((err: unknown) => this.deps.logger.error({ err, task: dispatch.taskId, context: dispatch.contextId }, "dispatch delivery failed"))
      .finally(() => {
        this.drop(held);
        ended?.();
      });
  }

  /** Forgets a held dispatch that will not be delivered (or was). */
  drop({ dispatch }: HeldDispatch): void {
    this.deps.inflight.delete(dispatch.contextId);
    dispatch.span.span.end();
  }

  /**
   * A service dispatch, one hop: pushed down the instance's Work stream when
   * it holds one to this replica, else Execute called directly through
   * libs/routing (the router's own choice, ejection and attempt policy, one
   * attempt, no fallback: the task's breaker decides about retries).
   */
  /**
   * Builds and encodes the Work-stream assignments of committed-to-be
   * service dispatches whose instance holds a stream here, so delivering
   * them is only a write (plan does it while the contexts' insert is in
   * flight when asked to: PlanOptions.prepare), so a burst of pushes
   * leaves sooner after the commit.
   */
  prepare(planned: readonly PlannedDispatch[]): void {
    for (const d of planned) {
      if (d.kind !== "service" || d.assignment || !this.deps.streams.has(d.instance)) continue;
      const assignment = assignmentOf(d);
      d.assignment = { ...assignment, message: preEncode(WorkResponseSchema, assignmentMessage(assignment)) };
    }
  }

  private async route(d: PlannedDispatch, abort: CallAbort, sink: OutcomeSink): Promise<void> {
    const { streams, routing } = this.deps;
    const assignment = d.assignment ?? assignmentOf(d);
    const { payload, metadata } = assignment.request;
    try {
      let result: Value | undefined;
      let servedBy = d.instance;
      if (streams.has(d.instance)) {
        result = await streams.push(d.instance, assignment, abort);
      } else {
        const res = await routing.route.route(
          { instances: [d.instance], payload, key: "", workId: d.taskId, maxAttempts: 1, fallback: "none", timeoutMs: d.timeoutMs, attemptTimeoutMs: d.timeoutMs, metadata },
          abort.signal,
          undefined,
        );
        result = res.result;
        servedBy = res.instance || d.instance;
      }
      sink({ kind: "completed", contextId: d.contextId, taskId: d.taskId, result: valueToJson(result) ?? null, ...(d.span.traceId ? { traceId: d.span.traceId } : {}), servedBy });
    } catch (err) {
      d.span.span.setStatus({ code: SpanStatusCode.ERROR, message: abort.aborted ? "aborted" : describeError(err) });
      if (abort.aborted) return;
      sink({ kind: "failed", contextId: d.contextId, taskId: d.taskId, error: describeError(err) });
    }
  }

  private async send(d: PlannedDispatch, abort: CallAbort, sink: OutcomeSink): Promise<void> {
    const payload = {
      task: d.taskId,
      dispatch: d.contextId,
      attempt: d.attempt,
      ...(d.runId ? { run: d.runId } : {}),
      spec: d.spec,
      payload: d.payload,
      replyTo: d.replyTo,
      decisions: d.decisions,
      timeoutMs: d.timeoutMs,
      ...(d.span.traceparent ? { traceparent: d.span.traceparent } : {}),
    };
    try {
      const res = await this.deps.clients.mailbox().send(
        {
          to: d.instance,
          from: d.sender,
          type: "dispatch",
          priority: "normal",
          subject: `task ${d.taskId}: ${d.spec.split("\n")[0]}`.slice(0, 512),
          body: d.inject ? d.preamble : d.spec,
          threadId: d.contextId,
          payload: JSON.stringify(payload),
        },
        { signal: abort.signal, timeoutMs: 10_000 },
      );
      await markSent(this.deps.db, d.contextId, res.messages[0]?.id ?? "", d.timeoutMs);
    } catch (err) {
      if (abort.aborted) return;
      sink({ kind: "failed", contextId: d.contextId, taskId: d.taskId, error: `dispatch message not delivered: ${describeError(err)}` });
    }
  }
}

/** Dispatcher.prepare, whose failure leaves the pushes to be built at delivery (which reports it as the dispatch's error). */
function prepareQuietly(dispatcher: Dispatcher, planned: readonly PlannedDispatch[]): void {
  try {
    dispatcher.prepare(planned);
  } catch {
    // built again at delivery
  }
}

/** What a service dispatch pushes (or calls Execute with): the task's payload and the dispatch's metadata. */
function assignmentOf(d: PlannedDispatch): ServiceAssignment {
  // `instance`: the name it was dispatched to (one process may serve several instances on one address).
  const metadata: Record<string, string> = { task_id: d.taskId, dispatch_id: d.contextId, attempt: String(d.attempt), instance: d.instance };
  if (d.runId) metadata["run_id"] = d.runId;
  if (d.decisions.length > 0) metadata["decisions"] = JSON.stringify(d.decisions.map((x) => ({ q: x.question, a: x.resolution }))).slice(0, 1024);
  const payload = fromJson(ValueSchema, d.payload);
  return { id: d.contextId, request: { workId: d.taskId, payload, attempt: d.attempt, metadata }, timeoutMs: d.timeoutMs, traceparent: d.span.traceparent };
}
