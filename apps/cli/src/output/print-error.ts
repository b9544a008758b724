import { Code, ConnectError } from "@connectrpc/connect";
import { errorReason, fieldViolations, TRACE_ID_HEADER } from "@orchestrator/rpc";
import { errorAttempts } from "../router/error-attempts.js";

/**
 * Prints an error for a person on stderr: the gRPC code, the message, the
 * machine-readable reason, each bad field and the trace id the server
 * answered (`x-trace-id`), and the attempts a router error lists. With --json, one JSON object on stderr instead. Returns the exit code (1).
 */
export function printError(err: unknown, json: boolean): number {
  if (!(err instanceof ConnectError)) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(json ? `${JSON.stringify({ error: { message } })}\n` : `error: ${message}\n`);
    return 1;
  }
  const e = err;
  const code = Code[e.code]
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toUpperCase();
  const reason = errorReason(e);
  const fields = fieldViolations(e);
  const traceId = e.metadata.get(TRACE_ID_HEADER) ?? undefined;
  const attempts = errorAttempts(e);
  if (json) {
    process.stderr.write(`${JSON.stringify({ error: { code, message: e.rawMessage, reason, fields, trace_id: traceId, ...(attempts.length > 0 ? { attempts } : {}) } })}\n`);
    return 1;
  }
  const lines = [`error: ${code}: ${e.rawMessage}`];
  if (reason) lines.push(`  reason: ${reason}`);
  for (const f of fields) lines.push(`  field ${f.field}: ${f.description}`);
  for (const a of attempts) lines.push(`  attempt ${a.number}: ${a.instance} ${a.code} ${a.latencyMs} ms${a.message ? `: ${a.message}` : ""}`);
  if (traceId) lines.push(`  trace: ${traceId}`);
  if (e.code === Code.Unavailable && !reason) lines.push("  hint: is the control plane running? Start it with `npm start`, or set ORCHESTRATOR_ADDR.");
  if (e.code === Code.Unauthenticated) lines.push("  hint: set ORCHESTRATOR_API_KEY or pass --api-key.");
  process.stderr.write(`${lines.join("\n")}\n`);
  return 1;
}
