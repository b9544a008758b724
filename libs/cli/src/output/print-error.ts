import { Code, ConnectError } from "@connectrpc/connect";
import { errorReason, fieldViolations } from "@orchestrator/rpc";

/**
 * Prints an error for a person on stderr: the gRPC code, the message, the
 * machine-readable reason and each bad field. With --json, one JSON object
 * on stderr instead. Returns the exit code (1).
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
  if (json) {
    process.stderr.write(`${JSON.stringify({ error: { code, message: e.rawMessage, reason, fields } })}\n`);
    return 1;
  }
  const lines = [`error: ${code}: ${e.rawMessage}`];
  if (reason) lines.push(`  reason: ${reason}`);
  for (const f of fields) lines.push(`  field ${f.field}: ${f.description}`);
  if (e.code === Code.Unavailable) lines.push("  hint: is the control plane running? Start it with `npm start`, or set ORCHESTRATOR_ADDR.");
  if (e.code === Code.Unauthenticated) lines.push("  hint: set ORCHESTRATOR_API_KEY or pass --api-key.");
  process.stderr.write(`${lines.join("\n")}\n`);
  return 1;
}
