import type { RoutingSettings } from "../routing-settings.js";
import { randomUUID } from "node:crypto";
import type { InstanceView } from "../instances/instance-view.js";
import type { RoutableInstance } from "../instances/routable-instance.js";
import { SelectorCache } from "../instances/selector-cache.js";
import { budgetMs, Deadline } from "../delivery/deadline.js";
import type { Deliverer } from "../delivery/deliverer.js";
import { checkFanoutInput } from "./check-fanout-input.js";
import { FanoutRun } from "./fanout-run.js";
import type { FanoutEvent, FanoutInput, FanoutSummaryData } from "./fanout-types.js";

/** What Fanout needs, shaped by its use. */
export interface FanoutDependencies {
  readonly view: InstanceView;
  readonly deliverer: Deliverer;
  readonly config: RoutingSettings;
  /** How long a call waits for the first instance snapshot. */
  readonly syncTimeoutMs: number;
}

/**
 * Fanout: sends the payload to every selected instance at once (at most
 * `maxConcurrency` in flight) and yields each target's outcome as it
 * arrives, then the summary. Once the mode's goal is met (`first`: one
 * success, `quorum`: N) or can no longer be met, the calls still running
 * are cancelled on their instances and reported `cancelled`; at the
 * timeout the rest are cancelled and reported `timeout`, so neither a dead
 * nor a hanging instance holds the call. Instances the health service
 * reports down are not called (`instance_down`).
 */
export class FanoutService {
  private readonly targets: SelectorCache<readonly RoutableInstance[]>;

  constructor(private readonly deps: FanoutDependencies) {
    this.targets = new SelectorCache(deps.view, "targets", (selected) => selected);
  }

  /** Runs the fanout; `signal` is the caller's (none: nothing but the timeout stops the call). */
  async *run(input: FanoutInput, signal: AbortSignal | undefined, callerRemainingMs: number | undefined): AsyncGenerator<FanoutEvent> {
    const { run, deadline } = await this.prepare(input, signal, callerRemainingMs);
    try {
      for await (const outcome of run.outcomes()) yield { kind: "result", outcome };
      yield { kind: "summary", summary: run.summary() };
    } finally {
      run.abandon();
      deadline.dispose();
    }
  }

  /** Runs the fanout to its end and answers the summary only (unary Fanout): no event per outcome. */
  async summarize(input: FanoutInput, signal: AbortSignal | undefined, callerRemainingMs: number | undefined): Promise<FanoutSummaryData> {
    const { run, deadline } = await this.prepare(input, signal, callerRemainingMs);
    try {
      await run.ended();
      return run.summary();
    } finally {
      run.abandon();
      deadline.dispose();
    }
  }

  /** The run for `input` against the instance view (waiting for its first sync), with its deadline. */
  private async prepare(input: FanoutInput, signal: AbortSignal | undefined, callerRemainingMs: number | undefined): Promise<{ run: FanoutRun; deadline: Deadline }> {
    const { view, config } = this.deps;
    if (!view.ready) await view.whenReady(this.deps.syncTimeoutMs);
    const targets = this.targets.resolve(input.targets);
    checkFanoutInput(input, targets);
    const workId = input.workId || `f-${randomUUID()}`;
    const deadline = new Deadline(budgetMs(input.timeoutMs, config.timeoutMs, callerRemainingMs), signal);
    // One attempt may take the whole budget; with retries each gets the configured attempt timeout.
    const attemptTimeoutMs = input.maxAttempts > 1 ? config.attemptTimeoutMs : Number.POSITIVE_INFINITY;
    return { run: new FanoutRun(this.deps.deliverer, input, targets, workId, deadline, attemptTimeoutMs), deadline };
  }
}
