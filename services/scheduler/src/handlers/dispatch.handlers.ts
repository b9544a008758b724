import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { DispatchResponseSchema, GetDispatchResponseSchema, type SchedulerService } from "@orchestrator/contracts";
import type { DispatchService } from "../dispatch/dispatch.service.js";
import { durationMs } from "../shared/duration.js";
import { contextToProto, taskToProto } from "./to-proto.js";

/** The dispatch RPCs of SchedulerService. */
export function createDispatchHandlers(dispatches: DispatchService): Pick<ServiceImpl<typeof SchedulerService>, "dispatch" | "getDispatch"> {
  return {
    async dispatch(req, ctx) {
      const waitTimeoutMs = durationMs(req.waitTimeout);
      const { context, task, provisioned } = req.pool
        ? await dispatches.dispatchToPool({
            pool: req.pool,
            ...(req.taskId ? { taskId: req.taskId } : { command: req.command }),
            from: req.from,
            wait: req.wait,
            ...(waitTimeoutMs !== undefined ? { waitTimeoutMs } : {}),
            signal: ctx.signal,
          })
        : req.taskId
          ? await dispatches.dispatch(req.taskId, { to: req.to, inject: req.inject, from: req.from })
          : await dispatches.dispatchNew(req.command, { to: req.to, inject: req.inject, from: req.from });
      return create(DispatchResponseSchema, { dispatch: contextToProto(context), task: taskToProto(task), provisioned });
    },

    async getDispatch(req) {
      const { current, history } = await dispatches.show(req.taskId);
      return create(GetDispatchResponseSchema, { current: current && contextToProto(current), history: history.map(contextToProto) });
    },
  };
}
