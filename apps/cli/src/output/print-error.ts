import { Code, ConnectError } from "@connectrpc/connect";
import { errorReason, fieldViolations, TRACE_ID_HEADER } from "@orchestrator/rpc";
import { errorAttempts } from "../router/error-attempts.js";
import { withoutRuleIds } from "./without-rule-ids.js";

/**
 * Prints an error on stderr, once. For people: the gRPC code and the
 * message (or, for bad input, each bad field and why, without validator
 * rule ids such as `[string.min_len]`), the machine-readable reason, the
 * attempts a router error lists, the trace id the server answered
 * (`x-trace-id`) and a hint where one helps. With --json: one JSON object
 * `{error: {code, message, reason, fields, traceId, attempts}}` with the
 * server's message as is (rule ids included). Returns the exit code (1).
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
    process.stderr.write(`${JSON.stringify({ error: { code, message: e.rawMessage, reason, fields, traceId, ...(attempts.length > 0 ? { attempts } : {}) } })}\n`);
    return 1;
  }
  const lines: string[] = [];
  if (fields.length === 1) lines.push(`error: ${code}: ${fields[0]!.field}: ${withoutRuleIds(fields[0]!.description)}`);
  else if (fields.length > 1) {
    lines.push(`error: ${code}: ${fields.length} fields are invalid`);
    for (const f of fields) lines.push(`  ${f.field}: ${withoutRuleIds(f.description)}`);
  } else lines.push(`error: ${code}: ${withoutRuleIds(e.rawMessage)}`);
  if (reason && reason !== "invalid_argument") lines.push(`  reason: ${reason}`);
  for (const a of attempts) lines.push(`  attempt ${a.number}: ${a.instance} ${a.code} ${a.latencyMs} ms${a.message ? `: ${a.message}` : ""}`);
  if (traceId) lines.push(`  trace: ${traceId}`);
  if (e.code === Code.Unavailable && !reason) lines.push("  hint: is the control plane running? Start it with `npm start`, or set ORCHESTRATOR_ADDR.");
  if (e.code === Code.Unauthenticated) lines.push("  hint: set ORCHESTRATOR_API_KEY or pass --api-key.");
  process.stderr.write(`${lines.join("\n")}\n`);
  return 1;
}
