import type { DescFile } from "@bufbuild/protobuf";
import { file_grpc_health_v1_health } from "./gen/grpc/health/v1/health_pb.js";
import { file_grpc_reflection_v1_reflection } from "./gen/grpc/reflection/v1/reflection_pb.js";
import { file_grpc_reflection_v1alpha_reflection } from "./gen/grpc/reflection/v1alpha/reflection_pb.js";
import { file_orchestrator_health_v1_health } from "./gen/orchestrator/health/v1/health_pb.js";
import { file_orchestrator_worker_v1_worker } from "./gen/orchestrator/worker/v1/worker_pb.js";
import { file_orchestrator_mailbox_v1_mailbox } from "./gen/orchestrator/mailbox/v1/mailbox_pb.js";
import { file_orchestrator_router_v1_router } from "./gen/orchestrator/router/v1/router_pb.js";
import { file_orchestrator_scheduler_v1_scheduler } from "./gen/orchestrator/scheduler/v1/scheduler_pb.js";
import { file_orchestrator_agent_v1_agent } from "./gen/orchestrator/agent/v1/agent_pb.js";
import { file_google_rpc_error_details } from "./gen/google/rpc/error_details_pb.js";

/**
 * Every generated file descriptor, for server reflection and for JSON
 * type registries. Dependencies (google/protobuf, buf/validate) are reached
 * through each file's `dependencies`.
 */
export const allFiles: readonly DescFile[] = [
  file_orchestrator_health_v1_health,
  file_orchestrator_worker_v1_worker,
  file_orchestrator_mailbox_v1_mailbox,
  file_orchestrator_router_v1_router,
  file_orchestrator_scheduler_v1_scheduler,
  file_orchestrator_agent_v1_agent,
  file_grpc_health_v1_health,
  file_grpc_reflection_v1_reflection,
  file_grpc_reflection_v1alpha_reflection,
  file_google_rpc_error_details,
];
