import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { DispatchResponseSchema, GetDispatchResponseSchema, type SchedulerService } from "@orchestrator/contracts";
import type { DispatchService } from "../dispatch/dispatch.service.js";
import { contextToProto, taskToProto } from "./to-proto.js";

/** The dispatch RPCs of SchedulerService. */
export function createDispatchHandlers(dispatches: DispatchService): Pick<ServiceImpl<typeof SchedulerService>, "dispatch" | "getDispatch"> {
  return {
    async dispatch(req) {
      const { context, task } = await dispatches.dispatch(req.taskId, { to: req.to, inject: req.inject, from: req.from });
      return create(DispatchResponseSchema, { dispatch: contextToProto(context), task: taskToProto(task) });
    },

    async getDispatch(req) {
      const { current, history } = await dispatches.show(req.taskId);
      return create(GetDispatchResponseSchema, { current: current && contextToProto(current), history: history.map(contextToProto) });
    },
  };
}
