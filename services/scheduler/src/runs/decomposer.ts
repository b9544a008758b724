import { fromJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { FailedPreconditionError } from "@orchestrator/errors";
import { describeError } from "../shared/describe-error.js";
import { msDuration } from "../shared/duration.js";
import { valueToJson } from "../shared/json-value.js";
import type { ServiceClients } from "../shared/service-clients.js";
import { InvalidSpecError } from "./invalid-spec-error.js";
import { parseRunSpec } from "./parse-run-spec.js";
import { toRunGraph, type RunGraph } from "./run-graph.js";

/** Free-text specs need a decomposer. FAILED_PRECONDITION, reason `no_decomposer`. */
export class NoDecomposerError extends FailedPreconditionError {
  constructor() {
    super(
      "no_decomposer",
      "spec: this spec is free text, and no decomposer instance is configured (set ORCHESTRATOR_SCHEDULER_DECOMPOSER), or give a YAML/JSON task graph",
    );
  }
}

/**
 * Turns a free-text spec into a task graph through the configured
 * decomposer instance: RouterService/Route with payload
 * `{"decompose": <text>, "runId": <id>}`. The instance must answer a graph:
 * the graph object itself, `{"graph": <graph>}`, or YAML/JSON text of one.
 * Anything else fails the run with the reason.
 */
export class Decomposer {
  constructor(
    private readonly clients: ServiceClients,
    private readonly selector: string | undefined,
    private readonly timeoutMs: number,
  ) {}

  get configured(): boolean {
    return this.selector !== undefined;
  }

  async decompose(text: string, runId: string, signal: AbortSignal): Promise<RunGraph> {
    if (!this.selector) throw new NoDecomposerError();
    let answer: unknown;
    try {
      const res = await this.clients.router().route(
        {
          instances: [this.selector],
          payload: fromJson(ValueSchema, { decompose: text, runId }),
          workId: `${runId}:decompose`,
          timeout: msDuration(this.timeoutMs),
          attemptTimeout: msDuration(this.timeoutMs),
          metadata: { run_id: runId, purpose: "decompose" },
        },
        { signal, timeoutMs: this.timeoutMs + 5000 },
      );
      answer = valueToJson(res.result);
    } catch (err) {
      throw new Error(`decomposer "${this.selector}" failed: ${describeError(err)}`);
    }
    try {
      if (typeof answer === "string") {
        const parsed = parseRunSpec(answer, "");
        if (parsed.kind === "graph") return parsed.graph;
        throw new InvalidSpecError("the answer is free text, not a task graph");
      }
      const graph = typeof answer === "object" && answer !== null && "graph" in answer ? (answer as { graph: unknown }).graph : answer;
      return toRunGraph(graph);
    } catch (err) {
      throw new Error(`decomposer "${this.selector}" did not answer a task graph: ${(err as Error).message}`);
    }
  }
}
