import type { FanoutRequest, FanoutStreamRequest } from "@orchestrator/contracts";
import { InvalidArgumentError } from "@orchestrator/errors";
import type { AggregateMode, FanoutInput } from "../fanout/fanout-types.js";
import { checkJsonValue, durationMs } from "./request-values.js";

const MODES: readonly string[] = ["all", "first", "quorum", "merge"];

/**
 * The aggregate mode: `aggregate` (JSON `aggregateMode`) when set, else the
 * JSON member `aggregate` (`aggregate_json`) as the seed's HTTP API sends it,
 * a mode name or a boolean (true and false both mean `all`: every target's
 * result is answered either way). Default `all`.
 */
function aggregateMode(req: FanoutRequest | FanoutStreamRequest): AggregateMode {
  if (req.aggregate) return req.aggregate as AggregateMode;
  const kind = req.aggregateJson?.kind;
  if (kind === undefined || kind.case === undefined || kind.case === "nullValue" || kind.case === "boolValue") return "all";
  if (kind.case === "stringValue" && (kind.value === "" || MODES.includes(kind.value))) return (kind.value || "all") as AggregateMode;
  throw new InvalidArgumentError("aggregate", `must be one of "all", "first", "quorum", "merge", or a boolean (true means "all")`);
}

/**
 * A Fanout or FanoutStream request (they share fields and rules) → the
 * FanoutService's input: payloads checked as JSON, the aggregate mode
 * resolved, one attempt per target unless the request asks for more.
 */
export function fanoutInputOf(req: FanoutRequest | FanoutStreamRequest): FanoutInput {
  const payloads = Object.fromEntries(Object.entries(req.payloads).map(([name, value]) => [name, checkJsonValue(value, `payloads[${JSON.stringify(name)}]`)]));
  return {
    targets: req.targets,
    payload: checkJsonValue(req.payload, "payload"),
    payloads,
    aggregate: aggregateMode(req),
    quorum: req.quorum,
    ...(req.timeout ? { timeoutMs: durationMs(req.timeout) } : {}),
    maxConcurrency: req.maxConcurrency,
    maxAttempts: req.maxAttempts || 1,
    ...(req.workId ? { workId: req.workId } : {}),
    metadata: req.metadata,
  };
}
