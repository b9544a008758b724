import { InstanceKind } from "@orchestrator/contracts";
import type { Logger } from "pino";
import { describeError } from "../shared/describe-error.js";
import { msDuration } from "../shared/duration.js";
import type { ServiceClients } from "../shared/service-clients.js";
import type { DispatchKind } from "./dispatch-context.js";

/** An instance handed out by the health service for one dispatch. */
export interface AllocatedInstance {
  readonly name: string;
  readonly kind: DispatchKind;
  /** Created for this dispatch by the pool's provisioner. */
  readonly provisioned: boolean;
}

/** How long an allocation may wait. */
export interface AllocateOptions {
  /** Wait for a free instance when the pool is at its maximum (else RESOURCE_EXHAUSTED at once). */
  readonly wait: boolean;
  /** Bound of the wait and of a provision; the health service's defaults when absent. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** The holder a pool dispatch allocates its agent under; the agent runner releases it after answering. */
export const taskHolder = (taskId: string): string => `task:${taskId}`;

/**
 * Pool dispatch's link to HealthService AllocateInstance/ReleaseInstance:
 * the health service picks the next idle instance of the pool, provisions
 * `NAME-N+1` when none is and the pool may grow, or waits. Its errors
 * (RESOURCE_EXHAUSTED `pool_exhausted`, NOT_FOUND pool, FAILED_PRECONDITION
 * `provision_failed`) reach the caller unchanged.
 */
export class PoolAllocator {
  constructor(
    private readonly clients: ServiceClients,
    private readonly logger: Logger,
  ) {}

  async allocate(pool: string, holder: string, options: AllocateOptions): Promise<AllocatedInstance> {
    const res = await this.clients.health().allocateInstance(
      { pool, holder, wait: options.wait, ...(options.timeoutMs !== undefined ? { timeout: msDuration(options.timeoutMs) } : {}) },
      { timeoutMs: 0, ...(options.signal ? { signal: options.signal } : {}) },
    );
    const instance = res.instance!;
    return { name: instance.name, kind: instance.kind === InstanceKind.SERVICE ? "service" : "agent", provisioned: res.provisioned };
  }

  /** Gives an allocation back (the dispatch could not be recorded); a failure is logged, not thrown. */
  async release(name: string, holder: string): Promise<void> {
    try {
      await this.clients.health().releaseInstance({ name, holder }, { timeoutMs: 10_000 });
    } catch (err) {
      this.logger.warn({ instance: name, holder, error: describeError(err) }, "could not release an allocation");
    }
  }
}
