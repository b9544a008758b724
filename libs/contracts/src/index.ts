/**
 * Every orchestrator contract as protobuf-es v2 generated code (see
 * `src/gen/`, produced by `npm run generate` from `proto/`; never edit it by
 * hand). Import message schemas and service descriptors from here.
 */
export * from "./gen/orchestrator/health/v1/health_pb.js";
export * from "./gen/orchestrator/worker/v1/worker_pb.js";
export * from "./gen/orchestrator/mailbox/v1/mailbox_pb.js";
export * from "./gen/orchestrator/router/v1/router_pb.js";
export * from "./gen/orchestrator/scheduler/v1/scheduler_pb.js";
export * from "./gen/orchestrator/agent/v1/agent_pb.js";
export * as grpcHealth from "./gen/grpc/health/v1/health_pb.js";
export * as reflectionV1 from "./gen/grpc/reflection/v1/reflection_pb.js";
export * as reflectionV1alpha from "./gen/grpc/reflection/v1alpha/reflection_pb.js";
export * as rpcStatus from "./gen/google/rpc/error_details_pb.js";
export { allFiles } from "./all-files.js";
export * as googleApi from "./gen/google/api/annotations_pb.js";
export * as googleApiHttp from "./gen/google/api/http_pb.js";
