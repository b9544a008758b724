import type { Value } from "@bufbuild/protobuf/wkt";
import type { RoutingSettings } from "../routing-settings.js";
import { FailedPreconditionError, InstanceDownError, NoHealthyInstanceError } from "@orchestrator/errors";
import { randomUUID } from "node:crypto";
import type { InstanceView } from "../instances/instance-view.js";
import type { RoutableInstance } from "../instances/routable-instance.js";
import { SelectorCache } from "../instances/selector-cache.js";
import { attemptsJson, type AttemptRecord } from "../delivery/attempt.js";
import { budgetMs, Deadline } from "../delivery/deadline.js";
import type { Deliverer } from "../delivery/deliverer.js";
import type { TargetPicker } from "../choice/target-picker.js";
import { executeRequest } from "../wire/execute-request.js";

/** A Route request, as the service takes it (defaults not yet applied). */
export interface RouteInput {
  /** Selector texts; request field `instances`. */
  readonly instances: readonly string[];
  /** The work, handed over unchanged. */
  readonly payload: Value;
  /** Consistent-hashing key, "" for none. */
  readonly key: string;
  /** Attempts in all; undefined for the configured default. */
  readonly maxAttempts?: number;
  readonly attemptTimeoutMs?: number;
  readonly timeoutMs?: number;
  readonly fallback: "pool" | "none";
  /** Default: `r-<uuid>`. */
  readonly workId?: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** A routed call's outcome. */
export interface RouteResult {
  readonly result: Value | undefined;
  /** The instance that served it. */
  readonly instance: string;
  readonly attempts: readonly AttemptRecord[];
  readonly workId: string;
}

/** What Route needs, shaped by its use. */
export interface RouteDependencies {
  readonly view: InstanceView;
  readonly picker: TargetPicker;
  readonly deliverer: Deliverer;
  readonly config: RoutingSettings;
  /** How long a call waits for the first instance snapshot. */
  readonly syncTimeoutMs: number;
}

/** What a selector list means for Route: the service instances it names, or why it cannot be routed. */
interface RouteTargets {
  readonly names: readonly string[];
  /** Set when every selected instance is an agent: their names. */
  readonly agents?: readonly string[];
}

function routeTargets(selected: RoutableInstance[]): RouteTargets {
  if (selected.every((i) => i.kind === "agent")) return { names: [], agents: selected.map((i) => i.name) };
  return { names: selected.filter((i) => i.kind === "service").map((i) => i.name) };
}

/**
 * Route: resolves the selectors against the live instance view (once per
 * selector list per view change), then delivers the payload to one
 * instance with retries and failover (see Deliverer, TargetPicker), within
 * the smaller of the requested timeout and the caller's deadline.
 */
export class RouteService {
  private readonly targets: SelectorCache<RouteTargets>;

  constructor(private readonly deps: RouteDependencies) {
    this.targets = new SelectorCache(deps.view, "instances", routeTargets);
  }

  /** Routes `input`; `signal` is the caller's (none: nothing but the deadline stops the call). */
  route(input: RouteInput, signal: AbortSignal | undefined, callerRemainingMs: number | undefined): Promise<RouteResult> {
    const { view } = this.deps;
    // Promises chained, not awaited: on Node 20 every promise fires the AsyncLocalStorage hooks.
    if (!view.ready) {
      const synced = view.whenReady(this.deps.syncTimeoutMs);
      if (synced) return synced.then(() => this.routeNow(input, signal, callerRemainingMs));
    }
    try {
      return this.routeNow(input, signal, callerRemainingMs);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private routeNow(input: RouteInput, signal: AbortSignal | undefined, callerRemainingMs: number | undefined): Promise<RouteResult> {
    const { picker, deliverer, config } = this.deps;
    const { names, agents } = this.targets.resolve(input.instances);
    if (agents) throw new FailedPreconditionError("agent_instance", `instances: ${agents.join(", ")} are agents; agents receive work through the mailbox`);
    const selection = { names, fallback: input.fallback, key: input.key };
    const workId = input.workId || `r-${randomUUID()}`;
    const deadline = new Deadline(budgetMs(input.timeoutMs, config.timeoutMs, callerRemainingMs), signal);
    const delivery = deliverer.deliver({
      maxAttempts: input.maxAttempts ?? config.maxAttempts,
      attemptTimeoutMs: input.attemptTimeoutMs ?? config.attemptTimeoutMs,
      deadline,
      choose: (tried) => picker.pick(selection, tried),
      noTarget: (attempts) => {
        const metadata: Record<string, string> = attempts.length > 0 ? { attempts: attemptsJson(attempts) } : {};
        if (names.length === 1) return new InstanceDownError(names[0]!, { condition: picker.condition(names[0]!), ...metadata });
        return new NoHealthyInstanceError(input.instances, metadata);
      },
      request: (_target, number) => executeRequest(workId, input.payload, number, input.metadata),
    });
    return delivery.then(
      (done): RouteResult => {
        deadline.dispose();
        return { result: done.response.result, instance: done.instance.name, attempts: done.attempts, workId };
      },
      (error: unknown) => {
        deadline.dispose();
        throw error;
      },
    );
  }
}
