import { DomainError, ResourceExhaustedError } from "@orchestrator/errors";
import { FREE_ACTIVITIES } from "@orchestrator/selector";
import type { Logger } from "pino";
import type { InstanceRecord } from "../instances/instance.js";
import type { InstanceEvent, InstanceEvents } from "../instances/instance-events.js";
import type { InstanceRegistry } from "../instances/instance-registry.service.js";
import { waitForChange } from "../instances/wait-for-change.js";
import type { PoolProvisioning } from "./pool-provisioning.service.js";
import type { PoolTemplate } from "./pool-template.js";
import type { PoolTemplates } from "./pool-templates.service.js";

/** How long a waiting allocation waits for a free instance when the request gives no timeout. */
export const DEFAULT_ALLOCATE_WAIT_MS = 120_000;
/** Kept back from the caller's deadline so a wait answers RESOURCE_EXHAUSTED rather than DEADLINE_EXCEEDED. */
const DEADLINE_MARGIN_MS = 250;

/** An AllocateInstance request, in domain terms. */
export interface AllocateRequest {
  readonly pool: string;
  readonly holder: string;
  /** When nothing is idle and the pool cannot grow: wait for a free instance instead of failing. */
  readonly wait: boolean;
  /** Bounds the wait (default DEFAULT_ALLOCATE_WAIT_MS) and a provision (default the pool's provisionTimeout). */
  readonly timeoutMs?: number | undefined;
  /** Never provision, even with room to grow. */
  readonly noProvision: boolean;
  /** The call's remaining deadline; waits end just before it. */
  readonly deadlineMs?: number | undefined;
  /** The call's signal: the caller went away. */
  readonly signal?: AbortSignal | undefined;
}

/** An allocated instance, and whether it was provisioned for this call. */
export interface Allocation {
  readonly instance: InstanceRecord;
  readonly provisioned: boolean;
}

type Step = { readonly claimed: InstanceRecord } | { readonly reserved: string };

/**
 * AllocateInstance: hands the next idle healthy instance of a pool to the
 * holder; when none is idle and the pool has a template with room below
 * `max`, reserves `NAME-N+1` for the holder and has it provisioned
 * (`provisioned`); otherwise fails with RESOURCE_EXHAUSTED at once, or with
 * `wait` waits (woken by instance changes, never polling) for an instance to
 * become free or the pool to have room, until the timeout.
 */
export class PoolAllocator {
  constructor(
    private readonly registry: InstanceRegistry,
    private readonly events: InstanceEvents,
    private readonly provisioning: PoolProvisioning | undefined,
    private readonly templates: PoolTemplates,
    private readonly logger: Logger,
  ) {}

  async allocate(req: AllocateRequest): Promise<Allocation> {
    const template = (await this.templates.get(req.pool))?.template;
    const grow = template && this.provisioning && !req.noProvision ? { template, provisioning: this.provisioning } : undefined;
    const attempt = async (): Promise<Step | undefined> => {
      const claimed = await this.registry.tryAllocate(req.pool, req.holder);
      if (claimed) return { claimed };
      const reserved = grow && (await grow.provisioning.reserve(grow.template, req.holder, grow.template.max));
      return reserved ? { reserved } : undefined;
    };

    let step = await attempt();
    if (!step) {
      if (!template && !(await this.registry.poolHasMembers(req.pool))) throw unknownPool(req.pool);
      if (!req.wait) throw exhausted(req, template, undefined);
      const waitMs = budget(req.timeoutMs ?? DEFAULT_ALLOCATE_WAIT_MS, req.deadlineMs);
      const signal = AbortSignal.any([AbortSignal.timeout(Math.max(1, waitMs)), ...(req.signal ? [req.signal] : [])]);
      step = await waitForChange(this.events, (e) => e.instance.pool === req.pool && mayFreeUp(e), attempt, signal);
      req.signal?.throwIfAborted();
      if (!step) throw exhausted(req, template, waitMs);
    }
    if ("claimed" in step) return { instance: step.claimed, provisioned: false };
    return { instance: await this.awaitProvision(grow!.template, step.reserved, req), provisioned: true };
  }

  /**
   * Waits for the provision of `name`. When the caller goes away first, the
   * provision still completes and the instance is then released to the pool
   * (idle), rather than held for a caller who is gone.
   */
  private async awaitProvision(template: PoolTemplate, name: string, req: AllocateRequest): Promise<InstanceRecord> {
    const job = this.provisioning!.provision(template, name, req.timeoutMs ?? template.provisionTimeoutMs);
    if (!req.signal) return job;
    const signal = req.signal;
    let onAbort: (() => void) | undefined;
    const abandoned = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([job, abandoned]);
    } catch (err) {
      if (signal.aborted) {
        job.then(
          () => this.registry.release(name, req.holder),
          () => undefined,
        ).catch((e: unknown) => this.logger.warn({ err: e, instance: name }, "could not release an instance provisioned for a caller who left"));
      }
      throw err;
    } finally {
      signal.removeEventListener("abort", onAbort!);
    }
  }
}

/**
 * Whether a change may let a waiting allocation through: an instance became
 * claimable (idle, unallocated, healthy), or the pool got room to grow (one
 * went down or away). Busy members' heartbeats do not wake waiters.
 */
function mayFreeUp({ instance, removed }: InstanceEvent): boolean {
  return removed || instance.health === "down" || (FREE_ACTIVITIES.has(instance.activity) && !instance.allocatedTo && instance.health === "healthy");
}

/** NOT_FOUND `unknown_pool`, saying how a pool comes to exist. */
function unknownPool(pool: string): DomainError {
  return new DomainError(
    "not_found",
    "unknown_pool",
    `pool "${pool}" not found: no instance is in it and it has no template. Define it with \`orchestrator pools apply -f pools.yaml\` ` +
      `(pools: {${pool}: {repo: <git URL or path>, command: [claude, -p], max: 4}}), or in ORCHESTRATOR_POOLS_FILE at start, ` +
      `or start agents in it (orchestrator agent --name ${pool}-1 --pool ${pool} --workdir DIR -- CMD)`,
    { pool },
  );
}

function budget(wantedMs: number, deadlineMs: number | undefined): number {
  return deadlineMs === undefined ? wantedMs : Math.max(0, Math.min(wantedMs, deadlineMs - DEADLINE_MARGIN_MS));
}

/** RESOURCE_EXHAUSTED saying why nothing could be handed out and what to do about it. */
function exhausted(req: AllocateRequest, template: PoolTemplate | undefined, waitedMs: number | undefined): ResourceExhaustedError {
  const waited = waitedMs === undefined ? "" : ` (waited ${formatMs(waitedMs)})`;
  const howToWait = `allocate with wait (orchestrator allocate --pool ${req.pool} --wait [--timeout 5m]) to wait for one`;
  if (template && !req.noProvision) {
    return new ResourceExhaustedError(
      "pool_exhausted",
      `pool "${req.pool}" is at its maximum of ${template.max} instances and none is idle${waited}; ${waitedMs === undefined ? howToWait : "wait longer"}, or raise max in the pools file`,
      { pool: req.pool, max: String(template.max) },
    );
  }
  const why = template ? "provisioning was turned off for this call (no_provision)" : "the pool has no template, so none is provisioned";
  return new ResourceExhaustedError("no_idle_instance", `no idle healthy instance in pool "${req.pool}"${waited}; ${why}${waitedMs === undefined ? `; ${howToWait}` : ""}`, { pool: req.pool });
}

function formatMs(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000}m` : ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${ms}ms`;
}
