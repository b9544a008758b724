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
  logger: Logger;
}

/**
 * Starts a demo instance: a worker serving the demo handler with crashing
 * allowed (`{"demo": {"crash": true}}` exits this process), registered with
 * the control plane when one is given. Demo instances are simple instances:
 * they hold no Work stream and take work through unary Execute only.
 */
export function runDemoInstance(opts: DemoInstanceOptions): Promise<RunningWorker> {
  return startWorker({
    ...opts,
    scheduler: false,
    handler: createDemoHandler({ instance: opts.name, allowCrash: true }),
  });
}
