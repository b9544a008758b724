import { create, fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { ExecuteResponseSchema, WorkerService } from "@orchestrator/contracts";
import type { ServiceModule } from "@orchestrator/rpc";
import type { ActivityTracker } from "./activity-tracker.js";
import type { WorkHandler } from "./worker-options.js";

/**
 * The WorkerService module of a worker: Execute runs `handler` with the
 * call's abort signal and the payload as JSON, answers its result, and marks
 * the call in `tracker` for as long as it runs.
 */
export function createWorkerModule(o: { name: string; handler: WorkHandler; tracker: ActivityTracker }): ServiceModule {
  return {
    serviceNames: [WorkerService.typeName],
    register(router: ConnectRouter) {
      router.service(WorkerService, {
        async execute(request, context) {
          const done = o.tracker.begin();
          try {
            const payload: JsonValue = request.payload ? toJson(ValueSchema, request.payload) : null;
            const result = await o.handler(request, { signal: context.signal, instance: o.name, payload });
            return create(ExecuteResponseSchema, { result: fromJson(ValueSchema, result ?? null), instance: o.name });
          } finally {
            done();
          }
        },
      });
    },
  };
}
