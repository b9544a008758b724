import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  GetRunResponseSchema,
  ListRunsResponseSchema,
  StartRunResponseSchema,
  StopRunResponseSchema,
  WatchRunResponseSchema,
  type SchedulerService,
  type WatchRunResponse,
} from "@orchestrator/contracts";
import type { SpecFormat } from "../runs/parse-run-spec.js";
import type { RunService } from "../runs/run.service.js";
import type { RunStatus } from "../runs/run.js";
import { runningToProto, runToProto } from "./to-proto.js";

/** The run RPCs of SchedulerService. */
export function createRunHandlers(runs: RunService): Pick<ServiceImpl<typeof SchedulerService>, "startRun" | "getRun" | "listRuns" | "watchRun" | "stopRun"> {
  return {
    async startRun(req) {
      const view = await runs.start({ spec: req.spec, format: req.format as SpecFormat, maxConcurrency: req.maxConcurrency, target: req.target, from: req.from });
      return create(StartRunResponseSchema, { run: runToProto(view.run, view.counts, false) });
    },

    async getRun(req) {
      const view = await runs.get(req.id);
      return create(GetRunResponseSchema, { run: runToProto(view.run, view.counts, true), running: view.running.map(runningToProto) });
    },

    async listRuns(req) {
      const found = await runs.list({ ...(req.status ? { status: req.status as RunStatus | "active" } : {}), limit: req.limit || 50 });
      return create(ListRunsResponseSchema, { runs: found.map((r) => runToProto(r.run, r.counts, false)) });
    },

    async *watchRun(req, ctx): AsyncGenerator<WatchRunResponse> {
      for await (const ev of runs.watch(req.id, ctx.signal)) {
        yield create(WatchRunResponseSchema, {
          event: ev.event,
          run: runToProto(ev.run, ev.counts, ev.event === "finished"),
          running: ev.running.map(runningToProto),
        });
      }
    },

    async stopRun(req) {
      const view = await runs.stop(req.id, req.reason);
      return create(StopRunResponseSchema, { run: runToProto(view.run, view.counts, true) });
    },
  };
}
