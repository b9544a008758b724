import type { HandlerContext } from "@connectrpc/connect";
import { isValidInstanceName } from "@orchestrator/selector";

/** Header naming the caller (a handle) when a request gives no sender. */
export const CALLER_HEADER = "x-orchestrator-caller";

/** The caller's identity as a handle: the x-orchestrator-caller header when it is a valid handle, else "anonymous". */
export function callerOf(ctx: HandlerContext): string {
  const caller = ctx.requestHeader.get(CALLER_HEADER)?.trim();
  return caller && isValidInstanceName(caller) ? caller : "anonymous";
}
