import { create } from "@bufbuild/protobuf";
import { ConnectError, Code } from "@connectrpc/connect";
import { trace } from "@opentelemetry/api";
import {
  ExecuteResponseSchema,
  HealthService,
  RegisterInstanceResponseSchema,
  WatchHealthResponseSchema,
  WorkerService,
} from "@orchestrator/contracts";
import { NotFoundError } from "@orchestrator/errors";
import type { ServiceModule } from "../service-module.js";

/**
 * A WorkerService that echoes its payload as the result. `work_id` picks a
 * behaviour: "domain-error" throws NotFoundError(instance "ghost"), "crash"
 * throws a plain Error holding a secret, "hang" waits for cancellation,
 * "span" starts a child span (a stand-in for a database query).
 */
export function createTestWorkerModule(): ServiceModule {
  return {
    serviceNames: [WorkerService.typeName],
    register(router) {
      router.service(WorkerService, {
        async execute(req, ctx) {
          switch (req.workId) {
            case "domain-error":
              throw new NotFoundError("instance", "ghost");
            case "crash":
              throw new Error("secret-db-password in a stack trace");
            case "hang":
              await new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));
              break;
            case "span":
              trace.getTracer("test-db").startActiveSpan("db.query", (span) => span.end());
              break;
          }
          return create(ExecuteResponseSchema, { result: req.payload, instance: "test-worker" });
        },
      });
    },
  };
}

/** Records a module's lifecycle calls into a shared log. */
export type LifecycleLog = string[];

/**
 * A HealthService with RegisterInstance (answers the instance it was given)
 * and WatchHealth (one snapshot event, then waits until the call's signal
 * aborts, as a real watch does). Logs start/stop into `log`; other RPCs are
 * UNIMPLEMENTED.
 */
export function createTestRegistryModule(log: LifecycleLog = [], name = "registry"): ServiceModule {
  return {
    serviceNames: [HealthService.typeName],
    register(router) {
      router.service(HealthService, {
        registerInstance(req) {
          log.push(`register ${req.name}`);
          return create(RegisterInstanceResponseSchema, { instance: { name: req.name, address: req.address } });
        },
        async *watchHealth(_req, ctx) {
          yield create(WatchHealthResponseSchema, { instance: { name: "A" }, snapshot: true });
          await new Promise<void>((resolve) => {
            if (ctx.signal.aborted) {
              resolve();
            }
            ctx.signal.addEventListener("abort", () => resolve(), { once: true });
          });
          log.push(`${name} watch ended`);
        },
      });
    },
    async start() {
      log.push(`${name} start`);
    },
    async stop() {
      log.push(`${name} stop`);
    },
  };
}

/** A module whose start() fails. */
export function createFailingModule(): ServiceModule {
  return {
    serviceNames: ["test.Failing"],
    register() {},
    async start() {
      throw new ConnectError("cannot start", Code.Internal);
    },
  };
}
