import type { Logger } from "pino";
import { startWorker } from "../start-worker.js";
import type { RunningWorker } from "../worker-options.js";
import { createDemoHandler } from "./create-demo-handler.js";

/** Options of runDemoInstance (the CLI's `orchestrator demo-instance`). */
export interface DemoInstanceOptions {
  name: string;
  /** 0 picks a free port. */
  port: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** @default "default" */
  pool?: string;
  labels?: Record<string, string>;
  /** Health service address; unregistered when absent. */
  controlPlane?: string;
  apiKey?: string;
  /** @default 1000 */
  heartbeatIntervalMs?: number;
  /**
   * Scheduler address to hold a Work stream to (tasks are then pushed down
   * it). @default none: unary Execute only, as a simple instance
   */
  scheduler?: string;
  /** Assignments at once on the Work stream. @default 16 */
  slots?: number;
  logger: Logger;
}

/**
 * Starts a demo instance: a worker serving the demo handler with crashing
 * allowed (`{"demo": {"crash": true}}` exits this process), registered with
 * the control plane when one is given. Demo instances are simple instances
 * by default: they hold no Work stream and take work through unary Execute
 * only, unless `scheduler` is given.
 */
export function runDemoInstance(opts: DemoInstanceOptions): Promise<RunningWorker> {
  return startWorker({
    ...opts,
    scheduler: opts.scheduler ?? false,
    handler: createDemoHandler({ instance: opts.name, allowCrash: true }),
  });
}
