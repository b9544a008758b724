import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { grpcHealth } from "@orchestrator/contracts";
import type { HealthStatusRegistry, ServingStatus } from "./health-status-registry.js";
import type { ServiceModule } from "./service-module.js";

const { Health, HealthCheckResponseSchema, HealthCheckResponse_ServingStatus: Status } = grpcHealth;

function toProto(status: ServingStatus | "SERVICE_UNKNOWN"): grpcHealth.HealthCheckResponse_ServingStatus {
  switch (status) {
    case "SERVING":
      return Status.SERVING;
    case "NOT_SERVING":
      return Status.NOT_SERVING;
    case "SERVICE_UNKNOWN":
      return Status.SERVICE_UNKNOWN;
  }
}

/**
 * grpc.health.v1.Health over `registry`: Check (NOT_FOUND for a service never
 * registered, `""` is the whole server), Watch (current status, then every
 * change, SERVICE_UNKNOWN for unknown services without ending the call; ends
 * when the call's signal aborts, which `startServer` does on shutdown) and
 * List. Exempt from API-key auth so Kubernetes gRPC probes and load balancers
 * need no secret. Declares no service names of its own.
 */
export function createHealthModule(registry: HealthStatusRegistry): ServiceModule {
  return {
    serviceNames: [],
    register(router: ConnectRouter) {
      router.service(Health, {
        check(req) {
          const status = registry.get(req.service);
          if (status === undefined) {
            throw new ConnectError(`unknown service "${req.service}"`, Code.NotFound);
          }
          return create(HealthCheckResponseSchema, { status: toProto(status) });
        },
        async *watch(req, ctx) {
          for await (const status of registry.watch(req.service, ctx.signal)) {
            yield create(HealthCheckResponseSchema, { status: toProto(status) });
          }
        },
        list() {
          const statuses: Record<string, { status: grpcHealth.HealthCheckResponse_ServingStatus }> = {};
          for (const [service, status] of registry.list()) {
            statuses[service] = { status: toProto(status) };
          }
          return { statuses };
        },
      });
    },
  };
}
