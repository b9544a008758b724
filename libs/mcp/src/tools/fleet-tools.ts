import { Activity, CheckHealthRequestSchema, HealthState, InstanceKind, ListInstancesRequestSchema, type Instance } from "@orchestrator/contracts";
import { objectSchema } from "../schema/json-schema.js";
import { protoFieldSchema as field } from "../schema/proto-field-schema.js";
import type { OrchestratorTool } from "./orchestrator-tool.js";

const SELECTORS = "Selectors: a name (A), a range (A-H, kite-1..5), a glob (kite-*), or @all, @idle, @healthy, @pool:NAME, @label:K=V.";

/** An enum value's name without its prefix, lower case: HEALTH_STATE_HEALTHY → healthy. */
function enumName(table: Record<number, string>, value: number, prefix: string): string {
  return (table[value] ?? "").replace(prefix, "").toLowerCase();
}

function instanceJson(i: Instance) {
  return {
    name: i.name,
    address: i.address,
    kind: enumName(InstanceKind, i.kind, "INSTANCE_KIND_"),
    pool: i.pool,
    labels: i.labels,
    health: enumName(HealthState, i.health, "HEALTH_STATE_"),
    activity: enumName(Activity, i.activity, "ACTIVITY_"),
    activityDetail: i.activityDetail,
    allocatedTo: i.allocatedTo,
    lastHeartbeatAt: i.lastHeartbeatAt ? new Date(Number(i.lastHeartbeatAt.seconds) * 1000 + Math.floor(i.lastHeartbeatAt.nanos / 1e6)).toISOString() : null,
  };
}

/** `instances`: the registered instances a selector matches. */
export const instancesTool: OrchestratorTool = {
  name: "instances",
  title: "List instances",
  description: `List instances (services and agents) with their health, activity, pool and labels. ${SELECTORS}`,
  inputSchema: objectSchema({ selectors: field(ListInstancesRequestSchema, "selectors", `Which instances; every one when absent. ${SELECTORS}`) }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async call(a, ctx) {
    const { instances } = await ctx.clients.health.listInstances({ selectors: (a["selectors"] as string[] | undefined) ?? [] }, ctx.callOptions);
    return { instances: instances.map(instanceJson) };
  },
};

/** `health`: the health map of the selected instances. */
export const healthTool: OrchestratorTool = {
  name: "health",
  title: "Check health",
  description: `The health of the selected instances as a map: {"A": "healthy", "B": "down"}. ${SELECTORS}`,
  inputSchema: objectSchema({ instances: field(CheckHealthRequestSchema, "instances", `Which instances; @all when absent. ${SELECTORS}`) }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async call(a, ctx) {
    const { statuses } = await ctx.clients.health.checkHealth({ instances: (a["instances"] as string[] | undefined) ?? [] }, ctx.callOptions);
    return statuses;
  },
};

export const fleetTools: readonly OrchestratorTool[] = [instancesTool, healthTool];
