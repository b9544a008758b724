import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  AllocateInstanceResponseSchema,
  ApplyPoolsResponseSchema,
  GetActivityHistoryResponseSchema,
  CheckHealthResponseSchema,
  DeregisterInstanceResponseSchema,
  GetHealthHistoryResponseSchema,
  GetInstanceResponseSchema,
  HealthService,
  HeartbeatResponseSchema,
  ListPoolsResponseSchema,
  ListInstancesResponseSchema,
  RegisterInstanceResponseSchema,
  ReleaseInstanceResponseSchema,
  ReportActivityResponseSchema,
} from "@orchestrator/contracts";
import { InvalidArgumentError } from "@orchestrator/errors";
import { callerOf } from "@orchestrator/rpc";
import type { InstanceEvents } from "../instances/instance-events.js";
import type { InstanceRegistry } from "../instances/instance-registry.service.js";
import type { PoolAllocator } from "../pools/pool-allocator.service.js";
import type { PoolDirectory } from "../pools/pool-directory.service.js";
import type { PoolTemplates } from "../pools/pool-templates.service.js";
import {
  activityFromProtoEnum,
  activityTransitionToProto,
  instanceToProto,
  kindFromProto,
  probeModeFromProto,
  transitionToProto,
} from "./instance-to-proto.js";
import { durationToMs, poolToProto } from "./pool-to-proto.js";
import { watchHealth } from "./watch-health.js";

/** The pool services behind AllocateInstance, ListPools and ApplyPools. */
export interface PoolServices {
  readonly allocator: PoolAllocator;
  readonly directory: PoolDirectory;
  readonly templates: PoolTemplates;
}

/**
 * orchestrator.health.v1.HealthService: maps wire messages to the registry
 * and back. Request rules declared in the proto are already enforced by the
 * validation interceptor; domain errors are mapped at the edge.
 */
export function createHealthServiceHandler(registry: InstanceRegistry, events: InstanceEvents, pools: PoolServices): ServiceImpl<typeof HealthService> {
  return {
    async registerInstance(req) {
      const instance = await registry.register(
        {
          name: req.name,
          address: req.address,
          kind: kindFromProto(req.kind),
          pool: req.pool || "default",
          labels: req.labels,
          probeMode: probeModeFromProto(req.probeMode),
        },
        req.replace,
      );
      return create(RegisterInstanceResponseSchema, { instance: instanceToProto(instance) });
    },

    async deregisterInstance(req) {
      return create(DeregisterInstanceResponseSchema, { instance: instanceToProto(await registry.deregister(req.name)) });
    },

    async listInstances(req) {
      const instances = await registry.list(req.selectors);
      return create(ListInstancesResponseSchema, { instances: instances.map(instanceToProto) });
    },

    async getInstance(req) {
      return create(GetInstanceResponseSchema, { instance: instanceToProto(await registry.get(req.name)) });
    },

    async heartbeat(req) {
      const instance = await registry.heartbeat(req.name, activityFromProtoEnum(req.activity));
      return create(HeartbeatResponseSchema, { instance: instanceToProto(instance) });
    },

    async reportActivity(req) {
      const activity = activityFromProtoEnum(req.activity);
      if (!activity) throw new InvalidArgumentError("activity", "must be set");
      const instance = await registry.reportActivity(req.name, activity, req.detail);
      return create(ReportActivityResponseSchema, { instance: instanceToProto(instance) });
    },

    async checkHealth(req) {
      return create(CheckHealthResponseSchema, { statuses: await registry.checkHealth(req.instances) });
    },

    watchHealth(req, ctx) {
      return watchHealth(registry, events, req.instances, ctx.signal);
    },

    async getHealthHistory(req) {
      const transitions = await registry.history(req.name, req.limit || 50);
      return create(GetHealthHistoryResponseSchema, { transitions: transitions.map(transitionToProto) });
    },

    async allocateInstance(req, ctx) {
      const { instance, provisioned } = await pools.allocator.allocate({
        pool: req.pool,
        holder: req.holder || callerOf(ctx),
        wait: req.wait,
        timeoutMs: durationToMs(req.timeout),
        noProvision: req.noProvision,
        deadlineMs: ctx.timeoutMs(),
        signal: ctx.signal,
      });
      return create(AllocateInstanceResponseSchema, { instance: instanceToProto(instance), provisioned });
    },

    async releaseInstance(req) {
      const instance = await registry.release(req.name, req.holder || undefined);
      return create(ReleaseInstanceResponseSchema, { instance: instanceToProto(instance) });
    },

    async listPools() {
      return create(ListPoolsResponseSchema, { pools: (await pools.directory.list()).map(poolToProto) });
    },

    async applyPools(req) {
      const applied = await pools.templates.apply(req.document, req.baseDir || process.cwd());
      const views = await pools.directory.views(applied.map((template) => ({ template, source: "applied" as const })));
      return create(ApplyPoolsResponseSchema, { pools: views.map(poolToProto) });
    },

    async getActivityHistory(req) {
      const transitions = await registry.activityHistory(req.name, req.limit || 50);
      return create(GetActivityHistoryResponseSchema, { transitions: transitions.map(activityTransitionToProto) });
    },
  };
}
