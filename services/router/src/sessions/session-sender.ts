import { toJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema, type Value } from "@bufbuild/protobuf/wkt";
import type { SessionEntry } from "@orchestrator/contracts";
import type { RouterConfig } from "@orchestrator/config";
import { notify, type Database } from "@orchestrator/db";
import { DeadlineExceededError, DomainError, InstanceDownError, NoHealthyInstanceError } from "@orchestrator/errors";
import { type AttemptRecord, attemptsJson, type Balancer, budgetMs, Deadline, type Deliverer, type InstanceView, type OutlierDetector, type RoutableInstance, type TargetPicker } from "@orchestrator/routing";
import type { Kysely } from "kysely";
import { randomUUID } from "node:crypto";
import { KeyedQueue } from "./keyed-queue.js";
import { SESSION_CHANNEL, type LeaseSignals } from "./lease-signals.js";
import type { SessionRecord } from "./session-record.js";
import { entryToProto } from "./entry-to-proto.js";
import { completeSend, listEntries } from "./session.repository.js";
import { acquireSessionLease, releaseSessionLease } from "./session-lease.js";

/** What SendSession needs, shaped by its use. */
export interface SessionSenderDependencies {
  readonly db: Kysely<Database>;
  readonly view: InstanceView;
  readonly picker: TargetPicker;
  readonly balancer: Balancer;
  readonly outliers: OutlierDetector;
  readonly deliverer: Deliverer;
  readonly signals: LeaseSignals;
  readonly config: RouterConfig;
  readonly syncTimeoutMs: number;
}

/** A delivered send. */
export interface SendResult {
  readonly session: SessionRecord;
  readonly sequence: bigint;
  readonly instance: string;
  readonly result: Value | undefined;
  readonly attempts: readonly AttemptRecord[];
  readonly failedOver: boolean;
}

/**
 * SendSession: delivers data to a session's instance, one send at a time
 * per session across every replica, in order.
 *
 * Ordering: sends queue per session in this process (FIFO), then take the
 * session's lease in Postgres (a compare-and-set on the row; waiting
 * replicas are woken by NOTIFY when it is released). The holder numbers the
 * send `last_sequence + 1`, delivers it, and in one transaction writes the
 * entry, advances `last_sequence` and frees the lease, fenced on still
 * holding it. No transaction is open while the instance works, and a failed
 * send consumes no number, so sequences have no gaps or repeats.
 *
 * Failover: when the pinned instance is down, unreachable or ejected, the
 * send goes to a healthy instance of the session's pool, with the session's
 * history (ExecuteRequest.history); on success the session is pinned there.
 * Retryable failures of a live pinned instance are retried on it.
 */
export class SessionSender {
  private readonly queue = new KeyedQueue();
  private readonly replica = randomUUID();

  constructor(private readonly deps: SessionSenderDependencies) {}

  async send(id: string, data: Value, timeoutMs: number | undefined, signal: AbortSignal, callerRemainingMs: number | undefined): Promise<SendResult> {
    const { view, config } = this.deps;
    if (!view.ready) await view.whenReady(this.deps.syncTimeoutMs);
    const deadline = new Deadline(budgetMs(timeoutMs, config.timeoutMs, callerRemainingMs), signal);
    try {
      return await this.queue.run(id, () => this.sendHoldingQueue(id, data, deadline), deadline.signal);
    } catch (error) {
      if (deadline.expired && !(error instanceof DomainError)) {
        throw new DeadlineExceededError(`session_id: send to session "${id}" did not finish within ${deadline.ms} ms (earlier sends included)`, { session_id: id });
      }
      throw error;
    } finally {
      deadline.dispose();
    }
  }

  private async sendHoldingQueue(id: string, data: Value, deadline: Deadline): Promise<SendResult> {
    const holder = `${this.replica}:${randomUUID()}`;
    const session = await acquireSessionLease(this.deps.db, this.deps.signals, id, holder, deadline);
    try {
      return await this.deliver(session, holder, data, deadline);
    } catch (error) {
      await releaseSessionLease(this.deps.db, id, holder);
      throw error;
    }
  }

  private async deliver(session: SessionRecord, holder: string, data: Value, deadline: Deadline): Promise<SendResult> {
    const { db, config, deliverer } = this.deps;
    const sequence = session.lastSequence + 1n;
    const attempts: AttemptRecord[] = [];
    let history: SessionEntry[] | undefined;
    const delivery = await deliverer.deliver(
      {
        maxAttempts: config.maxAttempts,
        attemptTimeoutMs: config.attemptTimeoutMs,
        deadline,
        choose: (tried) => this.target(session, tried),
        noTarget: (made) => {
          const metadata = { session_id: session.id, pool: session.pool, ...(made.length > 0 ? { attempts: attemptsJson(made) } : {}) };
          const pinned = this.deps.view.get(session.instance);
          if (!pinned || !this.deps.picker.routable(pinned)) return new InstanceDownError(session.instance, metadata);
          return new NoHealthyInstanceError([`@pool:${session.pool}`], metadata);
        },
        request: async (target, number) => {
          if (target.name !== session.instance) history ??= await this.history(session.id);
          return {
            workId: `${session.id}#${sequence}`,
            payload: data,
            attempt: number,
            sessionId: session.id,
            sequence,
            history: target.name !== session.instance ? history : [],
            metadata: session.metadata,
          };
        },
      },
      attempts,
    );
    const instance = delivery.instance.name;
    const failedOver = instance !== session.instance;
    const updated = await db.transaction().execute(async (tx) => {
      const done = await completeSend(tx, {
        id: session.id,
        holder,
        sequence,
        data: toJson(ValueSchema, data),
        result: delivery.response.result ? toJson(ValueSchema, delivery.response.result) : (null as JsonValue),
        instance,
        failedOver,
      });
      if (done) await notify(tx, SESSION_CHANNEL, session.id);
      return done;
    });
    if (!updated) {
      throw new DomainError("aborted", "lease_lost", `session "${session.id}": send ${sequence} took longer than its lease and was not recorded; retry it`, { session_id: session.id });
    }
    return { session: updated, sequence, instance, result: delivery.response.result, attempts, failedOver };
  }

  /**
   * The pinned instance while it can take work (retryable failures are
   * retried on it); otherwise a healthy instance of the session's pool,
   * preferring ones not yet tried, not ejected, least loaded. An ejected
   * pinned instance is still used when the pool has nothing better.
   */
  private target(session: SessionRecord, tried: ReadonlySet<string>): RoutableInstance | undefined {
    const { view, picker, outliers, balancer } = this.deps;
    const pinned = view.get(session.instance);
    const pinnedRoutable = picker.routable(pinned);
    if (pinnedRoutable && outliers.available(pinned.name)) return pinned;
    const mates = view.list().filter((i) => i.pool === session.pool && i.name !== session.instance && picker.routable(i));
    const healthy = mates.filter((i) => i.health === "healthy");
    const tier = healthy.length > 0 ? healthy : mates;
    const untried = tier.filter((i) => !tried.has(i.name));
    const fresh = untried.length > 0 ? untried : tier;
    const available = fresh.filter((i) => outliers.available(i.name));
    return balancer.pick(available.length > 0 ? available : fresh) ?? (pinnedRoutable ? pinned : undefined);
  }

  private async history(id: string): Promise<SessionEntry[]> {
    return (await listEntries(this.deps.db, id, this.deps.config.sessionHistoryLimit)).map(entryToProto);
  }
}
