import { create, toJson, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { RouteResponseSchema, RouterService, type RouteRequest } from "@orchestrator/contracts";
import type { ServiceModule } from "@orchestrator/rpc";

/** One Route call the fake received. */
export interface RouteCall {
  readonly instance: string;
  readonly workId: string;
  readonly payload: JsonValue;
  readonly metadata: Record<string, string>;
  readonly maxAttempts: number;
  readonly at: number;
}

/** Decides a Route call: answer a result, or throw (a ConnectError) to fail it. */
export type RouteBehaviour = (call: RouteCall, signal: AbortSignal) => Promise<JsonValue> | JsonValue;

/** A RouterService serving Route by a behaviour the test controls, recording every call. For tests only. */
export interface FakeRouterModule extends ServiceModule {
  readonly calls: RouteCall[];
  /** Most calls in flight at once so far. */
  readonly maxInFlight: () => number;
  setBehaviour(behaviour: RouteBehaviour): void;
}

/** Fails a Route like the router does when the instance answers UNAVAILABLE. */
export function unavailable(message = "instance failed"): never {
  throw new ConnectError(message, Code.Unavailable);
}

/** A stand-in for the router: by default echoes `{instance, echo: payload}`. */
export function createFakeRouterModule(behaviour?: RouteBehaviour): FakeRouterModule {
  let current: RouteBehaviour = behaviour ?? ((call) => ({ instance: call.instance, echo: call.payload }));
  const calls: RouteCall[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    serviceNames: [RouterService.typeName],
    calls,
    maxInFlight: () => maxInFlight,
    setBehaviour(b) {
      current = b;
    },
    register(router) {
      router.service(RouterService, {
        async route(req: RouteRequest, ctx) {
          const call: RouteCall = {
            instance: req.instances[0]!,
            workId: req.workId,
            payload: req.payload ? (toJson(ValueSchema, req.payload) as JsonValue) : null,
            metadata: { ...req.metadata },
            maxAttempts: req.maxAttempts,
            at: performance.now(),
          };
          calls.push(call);
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          try {
            const result = await current(call, ctx.signal);
            return create(RouteResponseSchema, { result: fromJson(ValueSchema, result), instance: call.instance, traceId: "fake-trace", workId: req.workId });
          } finally {
            inFlight--;
          }
        },
      });
    },
  };
}
