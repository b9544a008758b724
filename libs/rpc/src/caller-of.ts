import type { HandlerContext } from "@connectrpc/connect";

/** Header naming the caller (a handle such as `kite-1` or `alice`) when a request names no sender or holder. */
export const CALLER_HEADER = "x-orchestrator-caller";

const HANDLE = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;

/**
 * The caller's identity, used as the default sender, holder or decider:
 * the x-orchestrator-caller header when it is a valid handle (1-63 letters,
 * digits, '.', '_' or '-', starting and ending with a letter or digit),
 * else "anonymous". One reader for every service, so identities agree.
 */
export function callerOf(ctx: Pick<HandlerContext, "requestHeader">): string {
  const caller = ctx.requestHeader.get(CALLER_HEADER)?.trim();
  return caller && HANDLE.test(caller) && !caller.includes("..") ? caller : "anonymous";
}
