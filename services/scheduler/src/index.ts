/**
 * orchestrator.scheduler.v1.SchedulerService: task DAGs, dispatch with a
 * circuit breaker (services through the router, agents through the
 * mailbox), decision gates, and coordinator runs driven under leases by
 * any number of replicas.
 */
export { createSchedulerModule, type SchedulerModule, type SchedulerModuleOptions } from "./scheduler-module.js";
export { renderPreamble, type PreambleDecision, type PreambleInput } from "./dispatch/dispatch-preamble.js";
export { parseRunSpec, type ParsedSpec, type SpecFormat } from "./runs/parse-run-spec.js";
export type { GraphTask, RunGraph } from "./runs/run-graph.js";
export type { SchedulerObserver } from "./shared/scheduler-observer.js";
