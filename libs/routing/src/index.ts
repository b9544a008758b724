/**
 * Routing policy in one place, used by the router service, the scheduler and
 * the proxyless client: the instance view fed by the health service's
 * WatchHealth stream; choice (health tiers, fallback to the pool, least
 * calls in flight with round robin, rendezvous hashing, outlier ejection
 * with probe-back); delivery (retries with backoff and jitter on retryable
 * codes, deadlines, attempts with reasons); Route and Fanout over them; the
 * wire mapping of their requests and responses; and `createRoutingClient`,
 * which does all of it in the caller's process, calling instances directly.
 */
export type { HealthName, RoutableInstance } from "./instances/routable-instance.js";
export { instanceFromProto } from "./instances/instance-from-proto.js";
export { InstanceView, type InstanceChangeListener, type InstanceViewOptions } from "./instances/instance-view.js";
export { HealthFeed, type HealthFeedOptions } from "./instances/health-feed.js";

export { Balancer } from "./choice/balancer.js";
export { hash32, rendezvousPick } from "./choice/rendezvous-hash.js";
export { OutlierDetector } from "./choice/outlier-detector.js";
export { TargetPicker, type Selection } from "./choice/target-picker.js";

export { attemptsJson, type AttemptRecord } from "./delivery/attempt.js";
export { AttemptError } from "./delivery/attempt-error.js";
export { codeName, statusOfCode } from "./delivery/code-names.js";
export { budgetMs, Deadline } from "./delivery/deadline.js";
export { DeadlineBackoff } from "./delivery/deadline-backoff.js";
export { Deliverer, type BackoffSettings, type Delivery, type DeliveryPlan } from "./delivery/deliverer.js";
export { WorkerClients, type ExecuteCallOptions } from "./delivery/worker-clients.js";

export type { RoutingSettings } from "./routing-settings.js";
export { RouteService, type RouteDependencies, type RouteInput, type RouteResult } from "./route/route.service.js";
export { FanoutService, type FanoutDependencies } from "./fanout/fanout.service.js";
export type { AggregateMode, FanoutEvent, FanoutInput, FanoutSummaryData, OutcomeStatus, TargetOutcome } from "./fanout/fanout-types.js";

export { checkJsonValue, durationMs, msToDuration } from "./wire/request-values.js";
export { routeInputOf } from "./wire/route-input.js";
export { routeResponseOf } from "./wire/route-response.js";
export { fanoutInputOf } from "./wire/fanout-input.js";
export { fanoutResponseOf, fanoutStreamResponseOf } from "./wire/fanout-response.js";
export { attemptToProto, outcomeToProto, summaryToProto } from "./wire/results-to-proto.js";

export { createRouting, type Routing, type RoutingOptions } from "./create-routing.js";
export { createRoutingClient } from "./client/create-routing-client.js";
export type { RoutingCallOptions, RoutingClient, RoutingClientOptions } from "./client/routing-client.js";
