import { create, toJson, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema, type Value } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { ExecuteResponseSchema, RouteResponseSchema, RouterService, WorkerService, type RouteRequest } from "@orchestrator/contracts";
import type { ServiceModule } from "@orchestrator/rpc";

/** One call the fake received: a Route (decomposition) or an Execute of a dispatch. */
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

/**
 * The router and every service instance in one: RouterService/Route and
 * WorkerService/Execute (the scheduler calls instances directly, at the
 * address the fake health service reports for all of them; the instance
 * is the `instance` metadata of the dispatch) answer by a behaviour the
 * test controls, recording every call. For tests only.
 */
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

/** The recorded form of a Route (to its first selector) or an Execute (to the dispatch's `instance`). */
function callOf(instance: string, req: { workId: string; payload?: Value; metadata: Record<string, string> }, maxAttempts: number): RouteCall {
  return {
    instance,
    workId: req.workId,
    payload: req.payload ? (toJson(ValueSchema, req.payload) as JsonValue) : null,
    metadata: { ...req.metadata },
    maxAttempts,
    at: performance.now(),
  };
}

/** A stand-in for the router and the instances: by default echoes `{instance, echo: payload}`. */
export function createFakeRouterModule(behaviour?: RouteBehaviour): FakeRouterModule {
  let current: RouteBehaviour = behaviour ?? ((call) => ({ instance: call.instance, echo: call.payload }));
  const calls: RouteCall[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const answer = async (call: RouteCall, signal: AbortSignal): Promise<JsonValue> => {
    calls.push(call);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      return await current(call, signal);
    } finally {
      inFlight--;
    }
  };
  return {
    serviceNames: [RouterService.typeName, WorkerService.typeName],
    calls,
    maxInFlight: () => maxInFlight,
    setBehaviour(b) {
      current = b;
    },
    register(router) {
      router.service(RouterService, {
        async route(req: RouteRequest, ctx) {
          const call = callOf(req.instances[0]!, req, req.maxAttempts);
          const result = await answer(call, ctx.signal);
          return create(RouteResponseSchema, { result: fromJson(ValueSchema, result), instance: call.instance, traceId: "fake-trace", workId: req.workId });
        },
      });
      router.service(WorkerService, {
        async execute(req, ctx) {
          const call = callOf(req.metadata["instance"] ?? "", req, 1);
          const result = await answer(call, ctx.signal);
          return create(ExecuteResponseSchema, { result: fromJson(ValueSchema, result), instance: call.instance });
        },
      });
    },
  };
}
