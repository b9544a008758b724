import { DomainError } from "@orchestrator/errors";
import { pushable } from "it-pushable";
import type { RoutableInstance } from "../instances/routable-instance.js";
import type { AttemptRecord } from "../delivery/attempt.js";
import { Deadline } from "../delivery/deadline.js";
import type { Deliverer } from "../delivery/deliverer.js";
import { executeRequest } from "../wire/execute-request.js";
import { aggregateResults, successesNeeded } from "./aggregate-outcomes.js";
import type { FanoutInput, FanoutSummaryData, TargetOutcome } from "./fanout-types.js";

/** How much later than the fanout's deadline a branch's own deadline falls. */
const BRANCH_GRACE_MS = 250;

/**
 * One fanout in progress: launches the calls (at most `maxConcurrency` at
 * once), settles each target exactly once, cancels the calls still running
 * once `first`/`quorum` is met or can no longer be, and at the deadline
 * reports the rest as timed out. `outcomes()` yields each outcome as it
 * settles; `summary()` aggregates them afterwards.
 */
export class FanoutRun {
  private readonly queue = pushable<TargetOutcome>({ objectMode: true });
  private readonly settled = new Map<string, TargetOutcome>();
  private readonly branches = new Map<string, AbortController>();
  private readonly waiting: RoutableInstance[];
  private readonly started = performance.now();
  private readonly needed: number;
  private running = 0;
  private succeeded = 0;
  private failed = 0;
  private winner: TargetOutcome | undefined;
  private finished = false;
  private timedOut = false;
  /** Set by `ended()`: outcomes are then not queued, the end settles this. */
  private done: { resolve(): void; reject(error: Error): void } | undefined;

  constructor(
    private readonly deliverer: Deliverer,
    private readonly input: FanoutInput,
    private readonly targets: readonly RoutableInstance[],
    private readonly workId: string,
    private readonly deadline: Deadline,
    private readonly attemptTimeoutMs: number,
  ) {
    this.waiting = [...targets];
    this.needed = successesNeeded(input.aggregate, targets.length, input.quorum);
  }

  /** Starts the calls and yields each outcome as it settles; ends once every target has one. */
  outcomes(): AsyncIterable<TargetOutcome> {
    this.start();
    return this.queue;
  }

  /**
   * Starts the calls and resolves once every target has an outcome (then
   * read `summary()`), or rejects as `outcomes()` would end: for a caller
   * that wants only the end, without a promise per outcome.
   */
  ended(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => (this.done = { resolve, reject }));
    this.start();
    return done;
  }

  private start(): void {
    const onDeadline = () => {
      if (this.deadline.cancelled) {
        this.abandon();
        this.end(this.deadline.signal.reason);
        return;
      }
      this.timedOut = true;
      this.finishRest("timeout", "DEADLINE_EXCEEDED", "timeout", `no answer within the fanout timeout of ${this.deadline.ms} ms`);
    };
    if (this.deadline.signal.aborted) onDeadline();
    else this.deadline.signal.addEventListener("abort", onDeadline, { once: true });
    this.launchMore();
  }

  /** Ends the outcomes (with `error`: the fanout failed). */
  private end(error?: Error): void {
    if (this.done) {
      if (error) this.done.reject(error);
      else this.done.resolve();
    } else {
      this.queue.end(error);
    }
  }

  summary(): FanoutSummaryData {
    const outcomes = this.targets.map((t) => this.settled.get(t.name)!);
    const successes = outcomes.filter((o) => o.status === "ok");
    const mode = this.input.aggregate;
    return {
      aggregate: mode,
      result: aggregateResults(mode, successes, this.winner),
      satisfied: this.succeeded >= this.needed,
      timedOut: this.timedOut,
      succeeded: this.succeeded,
      failed: this.failed,
      workId: this.workId,
      winner: mode === "first" ? (this.winner?.instance ?? "") : "",
      outcomes,
    };
  }

  /** Cancels every call still running (the consumer left, or the fanout is over). */
  abandon(): void {
    for (const branch of this.branches.values()) branch.abort();
    this.branches.clear();
    this.waiting.length = 0;
  }

  private launchMore(): void {
    const limit = this.input.maxConcurrency || this.targets.length;
    while (this.running < limit && this.waiting.length > 0 && !this.finished) {
      const target = this.waiting.shift()!;
      if (!this.settled.has(target.name)) this.launch(target);
    }
  }

  private launch(target: RoutableInstance): void {
    const branch = new AbortController();
    this.branches.set(target.name, branch);
    this.running++;
    this.call(target, branch.signal)
      .then(
        (outcome) => this.settle(outcome),
        (err: unknown) => this.settle(this.outcome(target.name, "error", "INTERNAL", "internal", err instanceof Error ? err.message : String(err), [])),
      )
      .finally(() => {
        this.running--;
        this.branches.delete(target.name);
        this.launchMore();
      })
      .catch((err: unknown) => {
        this.abandon();
        this.end(err instanceof Error ? err : new Error(String(err)));
      });
  }

  private async call(target: RoutableInstance, signal: AbortSignal): Promise<TargetOutcome> {
    if (target.health === "down") return this.outcome(target.name, "error", "UNAVAILABLE", "instance_down", `instance "${target.name}" is down`, []);
    if (target.kind === "agent") {
      return this.outcome(target.name, "error", "FAILED_PRECONDITION", "agent_instance", `instance "${target.name}" is an agent; agents receive work through the mailbox`, []);
    }
    const attempts: AttemptRecord[] = [];
    // The fanout's deadline ends the branch (finishRest aborts `signal`, reporting a timeout); the
    // branch's own deadline is a little later so it never races that report.
    const deadline = new Deadline(this.deadline.remaining() + BRANCH_GRACE_MS, signal);
    const payload = this.input.payloads[target.name] ?? this.input.payload;
    try {
      const delivery = await this.deliverer.deliver(
        {
          maxAttempts: this.input.maxAttempts,
          attemptTimeoutMs: this.attemptTimeoutMs,
          deadline,
          choose: () => target,
          noTarget: () => new DomainError("unavailable", "instance_down", `instance "${target.name}" is down`),
          request: (_t, number) => executeRequest(this.workId, payload, number, this.input.metadata),
        },
        attempts,
      );
      return { ...this.outcome(target.name, "ok", "OK", "", "", attempts), result: delivery.response.result };
    } catch (error) {
      // The last attempt's own message says more per instance than the wrapper's summary.
      if (error instanceof DomainError) return this.outcome(target.name, "error", error.status.toUpperCase(), error.reason, attempts.at(-1)?.message || error.message, attempts);
      const message = error instanceof Error ? error.message : String(error);
      if (signal.aborted) return this.outcome(target.name, "cancelled", "CANCELLED", "cancelled", message, attempts);
      return this.outcome(target.name, "error", "INTERNAL", "internal", message, attempts);
    } finally {
      deadline.dispose();
    }
  }

  private settle(outcome: TargetOutcome): void {
    if (this.settled.has(outcome.instance)) return; // already reported (cancelled or timed out)
    this.record(outcome);
    if (outcome.status === "ok") {
      this.succeeded++;
      this.winner ??= outcome;
    } else {
      this.failed++;
    }
    const mode = this.input.aggregate;
    if (mode === "first" || mode === "quorum") {
      if (this.succeeded >= this.needed) {
        this.finishRest("cancelled", "CANCELLED", "cancelled", `not needed: ${mode} was met`);
      } else if (this.targets.length - this.failed < this.needed) {
        this.finishRest("cancelled", "CANCELLED", "cancelled", `not needed: ${mode} can no longer be met`);
      }
    }
  }

  /** Reports every target without an outcome yet as `status`, and cancels its call. */
  private finishRest(status: "timeout" | "cancelled", code: string, reason: string, message: string): void {
    this.finished = true;
    for (const target of this.targets) {
      if (this.settled.has(target.name)) continue;
      this.branches.get(target.name)?.abort();
      this.record(this.outcome(target.name, status, code, reason, message, []));
    }
  }

  private record(outcome: TargetOutcome): void {
    this.settled.set(outcome.instance, outcome);
    if (!this.done) this.queue.push(outcome);
    if (this.settled.size === this.targets.length) this.end();
  }

  private outcome(instance: string, status: TargetOutcome["status"], code: string, reason: string, message: string, attempts: readonly AttemptRecord[]): TargetOutcome {
    return { instance, status, code, reason, message, result: undefined, latencyMs: performance.now() - this.started, attempts };
  }
}
