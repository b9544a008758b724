/**
 * orchestrator.health.v1.HealthService: instance registry, grpc.health.v1
 * probing, status history, watch streams and idle/busy allocation.
 */
export { createHealthModule, type HealthModule, type HealthModuleOptions } from "./health-module.js";
export { InstancesFileError, loadInstancesFile } from "./instances/load-instances-file.js";
export type { HealthStatus, InstanceRecord, NewInstance } from "./instances/instance.js";
