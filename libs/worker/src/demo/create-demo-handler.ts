import type { JsonObject } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { setTimeout as sleep } from "node:timers/promises";
import type { WorkHandler } from "../worker-options.js";
import { countDemo, demoStats, shouldFailDemo } from "./demo-stats.js";
import { readDemoDirective } from "./read-demo-directive.js";

/** Options of createDemoHandler. */
export interface DemoHandlerOptions {
  /** Name reported in results. @default the serving worker's name */
  instance?: string;
  /** Let `{"demo": {"crash": true}}` exit the process (demo instances only). @default false */
  allowCrash?: boolean;
}

/**
 * A handler whose behaviour the payload steers, for demos and tests. Without
 * a `demo` object it echoes: `{instance, echo: payload, attempt, sessionId?,
 * sequence?, history?}` (session fields only when set; `history` lists the
 * sequence numbers of a session history handed over at failover).
 * `payload.demo` may hold:
 *
 * - `delayMs: n` — wait n ms first (stops when the call is cancelled);
 * - `fail: n, key?, code?` — fail the first n calls carrying `key` (default:
 *   the request's work id) with gRPC `code` (default `unavailable`), then
 *   succeed; counted per key in this process;
 * - `hang: true` — never answer until cancelled;
 * - `crash: true` — `process.exit(1)` at once, only with `allowCrash`
 *   (FAILED_PRECONDITION otherwise);
 * - `stats: true` — answer `demoStats()` of this process.
 *
 * Cancelled calls count in `demoStats().cancelled`, so a test in another
 * process can see that a call was really cancelled.
 */
export function createDemoHandler(options: DemoHandlerOptions = {}): WorkHandler {
  return async (request, context) => {
    const demo = readDemoDirective(context.payload);
    if (demo?.stats) return { ...demoStats() };
    if (demo?.crash) {
      if (!options.allowCrash) throw new ConnectError("payload.demo.crash: crashing is not enabled on this instance", Code.FailedPrecondition);
      process.exit(1);
    }
    try {
      if (demo?.delayMs) await sleep(demo.delayMs, undefined, { signal: context.signal });
      if (demo?.hang) await untilAborted(context.signal);
    } catch (error) {
      if (!context.signal.aborted) throw error;
      countDemo("cancelled");
      throw ConnectError.from(context.signal.reason, Code.Canceled);
    }
    if (demo?.fail !== undefined) {
      const key = demo.key ?? request.workId;
      if (shouldFailDemo(key, demo.fail)) {
        countDemo("failed");
        throw new ConnectError(`demo failure for key "${key}" (first ${demo.fail} calls fail)`, demo.code ?? Code.Unavailable);
      }
    }
    countDemo("executed");
    const result: JsonObject = { instance: options.instance ?? context.instance, echo: context.payload, attempt: request.attempt };
    if (request.sessionId !== "") result["sessionId"] = request.sessionId;
    if (request.sequence !== 0n) result["sequence"] = Number(request.sequence);
    if (request.history.length > 0) result["history"] = request.history.map((entry) => Number(entry.sequence));
    return result;
  };
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}
