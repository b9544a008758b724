import type { Database } from "@orchestrator/db";
import type { Kysely } from "kysely";
import { FREE_ACTIVITIES } from "@orchestrator/selector";
import type { Logger } from "pino";
import { announceInstanceChange, type InstanceEvents } from "../instances/instance-events.js";
import { claimForRetirement, listPoolMembers, lockPool, RETIRING_HOLDER } from "./pool.repository.js";
import type { PoolProvisioning } from "./pool-provisioning.service.js";
import type { PoolTemplate } from "./pool-template.js";
import { RepeatedFailureLog } from "@orchestrator/rpc";
import type { PoolTemplates } from "./pool-templates.service.js";

/** PoolManager timing. */
export interface PoolManagerOptions {
  /** Time between full passes over the pools. @default min(5000, shortest idleShutdown of the boot file / 4), at least 100 */
  readonly intervalMs?: number;
}

/** After a failed provision to keep the minimum, wait this long (doubling per failure in a row, up to 5 min). */
const RETRY_INITIAL_MS = 5000;
const RETRY_MAX_MS = 300_000;

/**
 * Keeps each templated pool between its limits, on every replica:
 * provisions up to `min` members that are up (one at a time per pool on
 * this replica; the pool lock keeps replicas from overshooting), and
 * retires instances this replica started that stayed idle longer than
 * `idleShutdown` while the pool is above `min` (a compare-and-set takes
 * the instance out of allocation first, so a racing allocation wins; then
 * its process is stopped and it is deregistered). Runs at start, on every
 * instance change of a templated pool and periodically. At stop, the
 * provisions in flight are abandoned and the processes this replica started
 * are stopped and deregistered (their working copies stay for the next start).
 */
export class PoolManager {
  /** Names of the templated pools as of the last pass (instance changes of these schedule a pass). */
  private templated = new Set<string>();
  private readonly intervalMs: number;
  private readonly filling = new Set<string>();
  private readonly retryAt = new Map<string, { at: number; failures: number }>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: Array<() => void> = [];
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** Reconciles failing through a database outage: one line, then summaries. */
  private readonly failures: RepeatedFailureLog;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly events: InstanceEvents,
    private readonly provisioning: PoolProvisioning,
    private readonly templates: PoolTemplates,
    private readonly logger: Logger,
    options: PoolManagerOptions = {},
  ) {
    this.failures = new RepeatedFailureLog(logger);
    this.templated = new Set(templates.fromFile.map((t) => t.name));
    const idle = templates.fromFile.map((t) => t.idleShutdownMs).filter((ms) => ms > 0);
    this.intervalMs = options.intervalMs ?? Math.max(100, Math.min(5000, ...idle.map((ms) => ms / 4)));
  }

  /** Starts reconciling; returns at once (provisioning to the minimum runs in the background). */
  start(): void {
    this.unsubscribe.push(
      this.events.subscribe(({ instance }) => {
        if (this.templated.has(instance.pool)) this.schedule();
      }),
      this.events.onResync(() => this.schedule()),
    );
    this.timer = setInterval(() => this.schedule(), this.intervalMs);
    this.timer.unref();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe.forEach((u) => u());
    await this.running;
    await this.provisioning.abortAll();
    const owned: string[] = [];
    for (const { template } of await this.templates.list().catch(() => [])) {
      const members = await listPoolMembers(this.db, template.name).catch(() => []);
      owned.push(...members.filter((m) => this.provisioning.provisioner.owns(m.name)).map((m) => m.name));
    }
    await this.provisioning.provisioner.stopAll();
    for (const name of owned) {
      await this.provisioning.remove(name).catch((err: unknown) => this.logger.warn({ err, instance: name }, "could not deregister a stopped agent"));
    }
  }

  /** Runs a pass soon; passes never overlap, and changes during one cause another. */
  schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.schedule();
      }
    });
  }

  private async pass(): Promise<void> {
    let templates: PoolTemplate[];
    try {
      templates = (await this.templates.list()).map((t) => t.template);
    } catch (err) {
      if (!this.stopped) this.logger.warn({ err }, "could not read the pool templates");
      return;
    }
    this.templated = new Set(templates.map((t) => t.name));
    for (const template of templates) {
      if (this.stopped) return;
      try {
        await this.provisioning.sweepStaleReservations(template);
        this.fillToMinimum(template);
        await this.retireIdle(template);
      } catch (err) {
        if (!this.stopped) this.failures.failed("pool reconcile", err, { pool: template.name });
      }
    }
  }

  /** Starts one provision when the pool is below its minimum and none of ours is under way. */
  private fillToMinimum(template: PoolTemplate): void {
    if (template.min === 0 || this.filling.has(template.name)) return;
    const retry = this.retryAt.get(template.name);
    if (retry && Date.now() < retry.at) return;
    this.filling.add(template.name);
    (async () => {
      let name: string | undefined;
      try {
        name = await this.provisioning.reserve(template, null, template.min);
        if (!name) return;
        this.logger.info({ pool: template.name, instance: name, min: template.min }, "provisioning to keep the pool's minimum");
        await this.provisioning.provision(template, name, template.provisionTimeoutMs);
        this.retryAt.delete(template.name);
      } catch (err) {
        const failures = (retry?.failures ?? 0) + 1;
        const delay = Math.min(RETRY_MAX_MS, RETRY_INITIAL_MS * 2 ** (failures - 1));
        this.retryAt.set(template.name, { at: Date.now() + delay, failures });
        if (!this.stopped) this.logger.warn({ err, pool: template.name, retryInMs: delay }, "could not provision to the pool's minimum");
      } finally {
        this.filling.delete(template.name);
        if (name) this.schedule(); // the next one, if still below the minimum
      }
    })().catch((err: unknown) => this.logger.error({ err, pool: template.name }, "pool minimum upkeep failed"));
  }

  /** Retires this replica's instances idle past idleShutdown, one by one, while the pool stays above its minimum. */
  private async retireIdle(template: PoolTemplate): Promise<void> {
    if (template.idleShutdownMs <= 0) return;
    const members = await listPoolMembers(this.db, template.name);
    const now = Date.now();
    const candidates = members.filter(
      (m) =>
        this.provisioning.provisioner.owns(m.name) &&
        !m.provisioning &&
        FREE_ACTIVITIES.has(m.activity) &&
        !m.allocatedTo &&
        now - m.activityChangedAt.getTime() >= template.idleShutdownMs,
    );
    for (const candidate of candidates) {
      const retired = await this.db.transaction().execute(async (tx) => {
        await lockPool(tx, template.name);
        // Instances already being retired (by any replica) no longer count.
        const up = (await listPoolMembers(tx, template.name)).filter((m) => (m.provisioning || m.health !== "down") && m.allocatedTo !== RETIRING_HOLDER).length;
        if (up <= template.min) return false;
        const claimed = await claimForRetirement(tx, candidate.name, template.idleShutdownMs);
        if (claimed) await announceInstanceChange(tx, { name: claimed.name });
        return Boolean(claimed);
      });
      if (!retired) continue;
      this.logger.info({ pool: template.name, instance: candidate.name, idleShutdownMs: template.idleShutdownMs }, "stopping an idle instance");
      await this.provisioning.provisioner.stop(candidate.name);
      await this.provisioning.remove(candidate.name);
    }
  }
}
