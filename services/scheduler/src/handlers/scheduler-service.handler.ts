import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { ResetResponseSchema, type SchedulerService } from "@orchestrator/contracts";
import { InvalidArgumentError } from "@orchestrator/errors";
import type { DispatchService } from "../dispatch/dispatch.service.js";
import type { GateService } from "../gates/gate.service.js";
import type { ResetService } from "../reset/reset.service.js";
import type { RunService } from "../runs/run.service.js";
import type { TaskService } from "../tasks/task.service.js";
import { createDispatchHandlers } from "./dispatch.handlers.js";
import { createGateHandlers } from "./gate.handlers.js";
import { createRunHandlers } from "./run.handlers.js";
import { createTaskHandlers } from "./task.handlers.js";

/** The services behind SchedulerService. */
export interface SchedulerServices {
  readonly tasks: TaskService;
  readonly dispatches: DispatchService;
  readonly gates: GateService;
  readonly runs: RunService;
  readonly reset: ResetService;
}

/**
 * orchestrator.scheduler.v1.SchedulerService: maps wire messages to the
 * feature services and back, one file per feature. Request rules declared
 * in the proto are enforced by the validation interceptor before a handler
 * runs; domain errors are mapped to gRPC codes at the edge.
 */
export function createSchedulerServiceHandler(s: SchedulerServices): ServiceImpl<typeof SchedulerService> {
  return {
    ...createTaskHandlers(s.tasks),
    ...createDispatchHandlers(s.dispatches),
    ...createGateHandlers(s.gates),
    ...createRunHandlers(s.runs),
    async reset(req) {
      if (!req.all && !req.tasks && !req.messages) throw new InvalidArgumentError("tasks", "choose what to reset: tasks, messages or all");
      const counts = await s.reset.reset({ tasks: req.all || req.tasks, messages: req.all || req.messages });
      return create(ResetResponseSchema, {
        tasks: BigInt(counts.tasks),
        dispatches: BigInt(counts.dispatches),
        gates: BigInt(counts.gates),
        runs: BigInt(counts.runs),
        messages: BigInt(counts.messages),
      });
    },
  };
}
