/**
 * Worker SDK: `startWorker` turns a handler into an instance that serves
 * orchestrator.worker.v1.WorkerService and grpc.health.v1, registers with the
 * control plane, reports its activity and, once registered, holds a Work
 * stream to the scheduler for pushed tasks. Also the demo instances (A-H).
 */
export type { RunningWorker, WorkContext, WorkerOptions, WorkHandler } from "./worker-options.js";
export { startWorker } from "./start-worker.js";
export { createDemoHandler, type DemoHandlerOptions } from "./demo/create-demo-handler.js";
export { demoStats, type DemoStats } from "./demo/demo-stats.js";
export { runDemoInstance, type DemoInstanceOptions } from "./demo/run-demo-instance.js";
