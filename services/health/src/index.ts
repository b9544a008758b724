/**
 * orchestrator.health.v1.HealthService: instance registry, grpc.health.v1
 * probing, status history, watch streams and idle/busy allocation.
 */
export { createHealthModule, type AgentLaunch, type HealthModule, type HealthModuleOptions } from "./health-module.js";
export { loadPoolsFile, type LoadPoolsFileOptions } from "./pools/load-pools-file.js";
export type { PoolTemplate, AgentInput } from "./pools/pool-template.js";
export { ProvisionError, type ProvisionedInstance, type Provisioner, type ProvisionStep } from "./pools/provisioner.js";
export { InstancesFileError, loadInstancesFile } from "./instances/load-instances-file.js";
export type { HealthStatus, InstanceRecord, NewInstance } from "./instances/instance.js";
