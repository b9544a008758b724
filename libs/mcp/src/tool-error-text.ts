import { Code, ConnectError } from "@connectrpc/connect";
import { errorReason, fieldViolations } from "@orchestrator/rpc";
import { ToolArgumentError } from "./tool-argument-error.js";

/**
 * The text of a tool error: `field: reason` for every bad argument (the
 * tool's own checks, or the service's INVALID_ARGUMENT field violations),
 * else the status code, the service's reason and its message
 * (`NOT_FOUND (unknown_task): task t9 not found`).
 */
export function toolErrorText(error: unknown): string {
  if (error instanceof ToolArgumentError) return error.message;
  const e = ConnectError.from(error);
  const violations = fieldViolations(e);
  if (violations.length > 0) return violations.map((v) => `${v.field}: ${v.description}`).join("; ");
  const reason = errorReason(e);
  const code = (Code[e.code] ?? "Unknown").replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
  return `${code}${reason ? ` (${reason})` : ""}: ${e.rawMessage}`;
}
