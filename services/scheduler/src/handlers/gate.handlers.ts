import { callerOf } from "@orchestrator/rpc";
import { create } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import { CreateGateResponseSchema, ListGatesResponseSchema, ResolveGateResponseSchema, type SchedulerService } from "@orchestrator/contracts";
import type { GateStatusName } from "@orchestrator/db";
import type { GateService } from "../gates/gate.service.js";
import { durationMs } from "../shared/duration.js";
import { gateToProto, taskToProto } from "./to-proto.js";

/** The gate RPCs of SchedulerService. */
export function createGateHandlers(gates: GateService): Pick<ServiceImpl<typeof SchedulerService>, "createGate" | "resolveGate" | "listGates"> {
  return {
    async createGate(req) {
      const expiry = req.expiry;
      const { gate, task } = await gates.create({
        taskId: req.taskId,
        question: req.question,
        options: req.options,
        ...(req.defaultOption ? { defaultOption: req.defaultOption } : {}),
        ...(expiry.case === "deadline" ? { deadline: timestampDate(expiry.value) } : {}),
        ...(expiry.case === "timeout" ? { timeoutMs: durationMs(expiry.value)! } : {}),
        ...(req.notify ? { notify: req.notify } : {}),
      });
      return create(CreateGateResponseSchema, { gate: gateToProto(gate), task: taskToProto(task) });
    },

    async resolveGate(req, ctx) {
      const by = req.resolvedBy || callerOf(ctx);
      const { gate, task } = await gates.resolve(req.id, req.resolution, by);
      return create(ResolveGateResponseSchema, { gate: gateToProto(gate), task: taskToProto(task) });
    },

    async listGates(req) {
      const found = await gates.list({
        ...(req.taskId ? { taskId: req.taskId } : {}),
        ...(req.status ? { status: req.status as GateStatusName } : {}),
        limit: req.limit || 100,
      });
      return create(ListGatesResponseSchema, { gates: found.map(gateToProto) });
    },
  };
}
