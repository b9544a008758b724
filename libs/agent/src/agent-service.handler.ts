import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter, ServiceImpl } from "@connectrpc/connect";
import {
  AgentService,
  GetAgentStatusResponseSchema,
  OutputLineSchema,
  TailOutputResponseSchema,
  type OutputLine,
  type TailOutputResponse,
} from "@orchestrator/contracts";
import type { ServiceModule } from "@orchestrator/rpc";
import type { AgentStatus } from "./agent-status.js";
import type { OutputRecord, OutputRing } from "./output-ring.js";

/** Lines sent first when TailOutput asks for 0. */
const DEFAULT_TAIL_LINES = 50;
/** Most lines in one TailOutputResponse. */
const MAX_BATCH = 500;

/** What AgentService answers from. */
export interface AgentServiceDeps {
  readonly name: string;
  readonly pool: string;
  readonly command: readonly string[];
  readonly workdir: string;
  readonly ring: OutputRing;
  readonly status: () => AgentStatus;
}

/**
 * The AgentService module of a runner. TailOutput sends the last `lines`
 * lines (default 50, at most the ring's size), then with `follow` every new
 * line as it is written, until the call ends or the server shuts down; a
 * follower that cannot keep up loses its oldest pending lines (a gap in
 * `seq`), never the runner's memory. GetAgentStatus answers what the agent
 * does now.
 */
export function createAgentServiceModule(deps: AgentServiceDeps): ServiceModule {
  return {
    serviceNames: [AgentService.typeName],
    register(router: ConnectRouter) {
      router.service(AgentService, agentServiceImpl(deps));
    },
  };
}

/** TailOutput and GetAgentStatus (see createAgentServiceModule), for a server that adds RPCs of its own (the terminal host). */
export function agentServiceImpl(deps: AgentServiceDeps): Pick<ServiceImpl<typeof AgentService>, "tailOutput" | "getAgentStatus"> {
  return {
    async *tailOutput(req, context): AsyncGenerator<TailOutputResponse> {
      const follower = req.follow ? deps.ring.follow(context.signal) : undefined;
      const first = deps.ring.tail(req.lines === 0 ? DEFAULT_TAIL_LINES : req.lines);
      for (let i = 0; i < first.length; i += MAX_BATCH) yield response(first.slice(i, i + MAX_BATCH));
      if (!follower) return;
      for await (const batch of follower) {
        for (let i = 0; i < batch.length; i += MAX_BATCH) yield response(batch.slice(i, i + MAX_BATCH));
      }
    },
    getAgentStatus() {
      const s = deps.status();
      return create(GetAgentStatusResponseSchema, {
        name: deps.name,
        pool: deps.pool,
        activity: s.activity,
        taskId: s.taskId,
        dispatchId: s.dispatchId,
        queued: s.queued,
        runsCompleted: BigInt(s.runsCompleted),
        runsFailed: BigInt(s.runsFailed),
        command: [...deps.command],
        workdir: deps.workdir,
        startedAt: timestampFromDate(s.startedAt),
        ...(s.runStartedAt ? { runStartedAt: timestampFromDate(s.runStartedAt) } : {}),
      });
    },
  };
}

function response(records: readonly OutputRecord[]): TailOutputResponse {
  return create(TailOutputResponseSchema, { lines: records.map(toLine) });
}

function toLine(r: OutputRecord): OutputLine {
  return create(OutputLineSchema, { seq: BigInt(r.seq), stream: r.stream, text: r.text, at: timestampFromDate(r.at), taskId: r.taskId });
}
