/**
 * orchestrator.router.v1.RouterService: Route with retries, failover and
 * outlier ejection; Fanout with aggregation; sessions pinned to instances,
 * serialised across replicas through Postgres.
 */
export { createRouterModule, type RouterModule, type RouterModuleOptions } from "./router-module.js";
