import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ExecuteRequestSchema, ExecuteResponse } from "@orchestrator/contracts";
import { AllAttemptsFailedError, DeadlineExceededError, DomainError, InstanceCallError } from "@orchestrator/errors";
import { ExponentialBackoff, handleWhen, retry } from "cockatiel";
import type { RoutableInstance } from "../instances/routable-instance.js";
import { AttemptError } from "./attempt-error.js";
import { attemptsJson, type AttemptRecord } from "./attempt.js";
import type { Balancer } from "../choice/balancer.js";
import { codeName, statusOfCode } from "./code-names.js";
import type { Deadline } from "./deadline.js";
import { DeadlineBackoff } from "./deadline-backoff.js";
import type { OutlierDetector } from "../choice/outlier-detector.js";
import type { WorkerClients } from "./worker-clients.js";

/** An ExecuteRequest, or what `create` makes one of. */
type ExecuteRequestInit = MessageInitShape<typeof ExecuteRequestSchema>;

/** How one piece of work is delivered: where each attempt goes and what it carries. */
export interface DeliveryPlan {
  /** Attempts in all, the first included (≥ 1). */
  readonly maxAttempts: number;
  /** Deadline of one attempt; cut to what is left of `deadline`. */
  readonly attemptTimeoutMs: number;
  readonly deadline: Deadline;
  /**
   * The next attempt's target, given the instances tried so far in this
   * delivery; undefined when there is none (the delivery then fails with
   * `noTarget`).
   */
  choose(tried: ReadonlySet<string>): RoutableInstance | undefined;
  /** The error when `choose` finds nothing (attempts so far given, for the error's metadata). */
  noTarget(attempts: readonly AttemptRecord[]): DomainError;
  /** The request of attempt `number` (from 1) to `target` (may load what it needs, e.g. a session's history). */
  request(target: RoutableInstance, number: number): ExecuteRequestInit | Promise<ExecuteRequestInit>;
}

/** A delivered piece of work. */
export interface Delivery {
  readonly response: ExecuteResponse;
  readonly instance: RoutableInstance;
  readonly attempts: readonly AttemptRecord[];
}

/** Retry timing shared by every delivery. */
export interface BackoffSettings {
  /** First retry delay. */
  readonly initialMs: number;
  /** Longest retry delay. */
  readonly maxMs: number;
}

/**
 * Delivers work to instances with retries: cockatiel's retry policy with
 * exponential backoff and decorrelated jitter (delays clamped to the
 * deadline) retries only retryable outcomes (UNAVAILABLE,
 * RESOURCE_EXHAUSTED, a per-attempt DEADLINE_EXCEEDED, an unreachable
 * instance). Each attempt is counted by the balancer and judged by the
 * outlier detector, and every attempt is recorded for the caller.
 *
 * Failures are domain errors carrying the attempts (ErrorInfo metadata
 * `attempts`): `all_attempts_failed` with the last attempt's code,
 * `instance_error` passing a non-retryable code through, `deadline_exceeded`,
 * or the plan's own error when no target is left.
 */
export class Deliverer {
  constructor(
    private readonly clients: WorkerClients,
    private readonly balancer: Balancer,
    private readonly outliers: OutlierDetector,
    private readonly backoff: BackoffSettings,
  ) {}

  /**
   * Delivers per `plan`; every attempt is appended to `attempts` (also on
   * failure). The first attempt runs on its own: no retry policy, no timer
   * (the call's own gRPC deadline bounds it), promises chained rather than
   * awaited (on Node 20 every promise fires the AsyncLocalStorage hooks).
   * Only a retryable failure enters cockatiel's retry machinery, which is
   * handed that failure as its first outcome, so backoff and attempt numbers
   * are as if it had run all along.
   */
  deliver(plan: DeliveryPlan, attempts: AttemptRecord[] = []): Promise<Delivery> {
    const tried = new Set<string>();
    let first: Promise<Delivery>;
    try {
      const target = plan.choose(tried);
      if (!target) throw plan.noTarget(attempts);
      tried.add(target.name);
      first = this.attempt(plan, target, 1, attempts);
    } catch (error) {
      return Promise.reject(failure(error, attempts, plan.deadline));
    }
    return first.catch((error: unknown) => {
      if (plan.maxAttempts <= 1 || !retryable(error, plan.deadline)) throw failure(error, attempts, plan.deadline);
      return this.retry(plan, error, tried, attempts);
    });
  }

  /** Attempts 2 to `plan.maxAttempts`, after a first attempt that failed with the retryable `first`. */
  private async retry(plan: DeliveryPlan, first: unknown, tried: Set<string>, attempts: AttemptRecord[]): Promise<Delivery> {
    const { deadline } = plan;
    const policy = retry(
      handleWhen((error) => retryable(error, deadline)),
      {
        maxAttempts: plan.maxAttempts - 1,
        backoff: new DeadlineBackoff(new ExponentialBackoff({ initialDelay: this.backoff.initialMs, maxDelay: this.backoff.maxMs }), deadline),
      },
    );
    try {
      return await policy.execute(async ({ attempt }) => {
        if (attempt === 0) throw first; // the first attempt's failure, already recorded
        const target = plan.choose(tried);
        if (!target) throw plan.noTarget(attempts);
        tried.add(target.name);
        return this.attempt(plan, target, attempt + 1, attempts);
      }, deadline.signal);
    } catch (error) {
      throw failure(error, attempts, deadline);
    }
  }

  /** One attempt: its request (which may load what it needs), then the call. */
  private attempt(plan: DeliveryPlan, target: RoutableInstance, number: number, attempts: AttemptRecord[]): Promise<Delivery> {
    const request = plan.request(target, number);
    return request instanceof Promise ? request.then((r) => this.call(plan, target, number, r, attempts)) : this.call(plan, target, number, request, attempts);
  }

  private call(plan: DeliveryPlan, target: RoutableInstance, number: number, request: ExecuteRequestInit, attempts: AttemptRecord[]): Promise<Delivery> {
    const { deadline } = plan;
    const started = performance.now();
    const end = this.balancer.begin(target.name);
    this.outliers.begin(target.name);
    let call: Promise<ExecuteResponse>;
    try {
      call = this.clients.execute(target.address, request, { signal: deadline.callSignal, timeoutMs: Math.min(plan.attemptTimeoutMs, deadline.remaining()) });
    } catch (error) {
      call = Promise.reject(error);
    }
    return call.then(
      (response) => {
        end();
        this.outliers.recordSuccess(target.name);
        attempts.push({ number, instance: target.name, code: "OK", message: "", latencyMs: performance.now() - started });
        return { response, instance: target, attempts };
      },
      (error: unknown) => {
        end();
        const failed = AttemptError.from(error, target.name, deadline.stopReason());
        if (failed.abandoned) this.outliers.recordAbandoned(target.name);
        else if (failed.retryable) this.outliers.recordFailure(target.name, failed.unreachable);
        else this.outliers.recordSuccess(target.name); // it answered: alive, just refusing this work
        attempts.push({ number, instance: target.name, code: codeName(failed.code), message: failed.message, latencyMs: performance.now() - started });
        throw failed;
      },
    );
  }
}

/** Whether another attempt may follow `error`: a retryable attempt failure, with time left and the caller still there. */
function retryable(error: unknown, deadline: Deadline): boolean {
  return error instanceof AttemptError && error.retryable && deadline.stopReason() === undefined;
}

/** The domain error a failed delivery ends with. */
function failure(error: unknown, attempts: readonly AttemptRecord[], deadline: Deadline): unknown {
  const metadata = { attempts: attemptsJson(attempts) };
  if (error instanceof DomainError) return error;
  if (!(error instanceof AttemptError)) return error;
  if (deadline.cancelled) return error; // the caller left; the edge maps it to CANCELLED
  if (deadline.expired) {
    return new DeadlineExceededError(`deadline of ${deadline.ms} ms exceeded after ${attempts.length} attempt(s); last: ${error.describe()}`, metadata);
  }
  if (!error.retryable) return new InstanceCallError(statusOfCode(error.code), error.instance, error.message, { ...metadata, code: codeName(error.code) });
  return new AllAttemptsFailedError(statusOfCode(error.code), attempts.length, error.describe(), { ...metadata, instance: error.instance, code: codeName(error.code) });
}
