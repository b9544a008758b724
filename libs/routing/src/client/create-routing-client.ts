import { create, isMessage, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import { defaultRouterConfig } from "@orchestrator/config";
import {
  FanoutRequestSchema,
  FanoutStreamRequestSchema,
  HealthService,
  RouteRequestSchema,
  RouterService,
  type FanoutRequest,
  type FanoutStreamResponse,
  type RouteRequest,
} from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { pino } from "pino";
import { createRouting } from "../create-routing.js";
import type { FanoutSummaryData } from "../fanout/fanout-types.js";
import { fanoutInputOf } from "../wire/fanout-input.js";
import { fanoutResponseOf, fanoutStreamResponseOf } from "../wire/fanout-response.js";
import { routeInputOf } from "../wire/route-input.js";
import { routeResponseOf } from "../wire/route-response.js";
import type { RouteResult } from "../route/route.service.js";
import { RoutingSpan } from "./in-routing-span.js";
import type { RoutingCallOptions, RoutingClient, RoutingClientOptions } from "./routing-client.js";
import { toCallerError } from "./to-caller-error.js";

const message = <T extends DescMessage>(schema: T, init: MessageInitShape<T>): MessageShape<T> =>
  isMessage(init, schema) ? (init as MessageShape<T>) : create(schema, init);

/** The caller's deadline, as the router reads it from `grpc-timeout`: none when unset or not positive. */
const callerRemainingMs = (options: RoutingCallOptions) => (options.timeoutMs !== undefined && options.timeoutMs > 0 ? options.timeoutMs : undefined);

/**
 * The proxyless client: Route and Fanout done in the caller's process,
 * with the router's own policy (libs/routing: the same picker, balancer,
 * outlier ejection with probe-back, retries with backoff and jitter on
 * retryable codes, fallback to the pool, `instance_down` without fallback)
 * and the same responses and errors, calling each instance's
 * WorkerService/Execute directly: one hop instead of two.
 *
 * It follows the health service's WatchHealth stream from creation on (one
 * stream, reconnected with backoff; no lookup per call) and keeps its own
 * per-process load counts and outlier verdicts, as a router replica does.
 *
 * Sessions go through the router (`routerAddress`): a session's sends are
 * ordered across every caller by a lease on its row, numbered, recorded
 * with their results in the router's database in the same transaction that
 * frees the lease, and replayed as history when the session fails over. A
 * direct send would skip all of that, and doing it from here would take two
 * round trips to the router (lease, then record) instead of one proxied
 * call, so a session send stays one SendSession call.
 *
 * Close it when done: it holds the health stream open.
 */
export function createRoutingClient(options: RoutingClientOptions): RoutingClient {
  const apiKey = options.apiKey || undefined;
  const auth = apiKey ? { apiKey } : {};
  const routing = createRouting({
    healthClient: () => createServiceClient(HealthService, { address: options.healthAddress, ...auth, timeoutMs: 0 }),
    apiKey,
    settings: defaultRouterConfig(options.settings),
    logger: options.logger ?? pino({ level: "silent" }),
    syncTimeoutMs: options.syncTimeoutMs ?? 5000,
  });
  routing.start();
  const route = (request: RouteRequest, o: RoutingCallOptions) => routing.route.route(routeInputOf(request), o.signal, callerRemainingMs(o));
  const fanout = (request: FanoutRequest, o: RoutingCallOptions): Promise<FanoutSummaryData> => routing.fanout.summarize(fanoutInputOf(request), o.signal, callerRemainingMs(o));
  let router: Client<typeof RouterService> | undefined;
  const sessions = (): Client<typeof RouterService> => {
    if (!options.routerAddress) {
      throw new ConnectError("sessions live in the router's database: give createRoutingClient a routerAddress for session calls", Code.FailedPrecondition);
    }
    return (router ??= createServiceClient(RouterService, { address: options.routerAddress, ...auth }));
  };

  return {
    view: routing.view,
    outliers: routing.outliers,

    // Chained, not awaited: on Node 20 every promise fires the AsyncLocalStorage hooks.
    route(request, o = {}) {
      const span = new RoutingSpan("Route");
      let routed: Promise<RouteResult>;
      try {
        routed = span.within(route, message(RouteRequestSchema, request), o);
      } catch (error) {
        routed = Promise.reject(error);
      }
      return routed.then(
        (result) => {
          span.end();
          return routeResponseOf(result, span.traceId);
        },
        (error: unknown) => {
          const failure = toCallerError(error, o.signal);
          span.end(failure);
          throw failure;
        },
      );
    },

    async fanout(request, o = {}) {
      const span = new RoutingSpan("Fanout");
      try {
        const summary = await span.within(fanout, message(FanoutRequestSchema, request), o);
        span.end();
        return fanoutResponseOf(summary, span.traceId);
      } catch (error) {
        const failure = toCallerError(error, o.signal);
        span.end(failure);
        throw failure;
      }
    },

    async *fanoutStream(request, o = {}): AsyncGenerator<FanoutStreamResponse> {
      const span = new RoutingSpan("FanoutStream");
      let failure: unknown;
      const events = span.within(() => routing.fanout.run(fanoutInputOf(message(FanoutStreamRequestSchema, request)), o.signal, callerRemainingMs(o)));
      try {
        // Each step runs in the span, so the calls it launches join the trace.
        for (let next = await span.within(() => events.next()); !next.done; next = await span.within(() => events.next())) {
          yield fanoutStreamResponseOf(next.value, span.traceId);
        }
      } catch (error) {
        failure = toCallerError(error, o.signal);
        throw failure;
      } finally {
        await events.return(undefined);
        span.end(failure);
      }
    },

    spawnSession: async (request, o = {}) => sessions().spawnSession(request, o),
    sendSession: async (request, o = {}) => sessions().sendSession(request, o),
    getSession: async (request, o = {}) => sessions().getSession(request, o),
    closeSession: async (request, o = {}) => sessions().closeSession(request, o),

    async ready(timeoutMs = options.syncTimeoutMs ?? 5000) {
      await routing.view.whenReady(timeoutMs);
      return routing.view.ready;
    },

    close: () => routing.stop(),
  };
}
