import { ToolArgumentError } from "../tool-argument-error.js";
import { NO_HANDLE, type ToolContext } from "./orchestrator-tool.js";

/** The session's handle; a tool error saying how to set it when there is none. */
export function ownHandle(ctx: ToolContext): string {
  if (!ctx.identity.handle) throw new ToolArgumentError([{ field: "handle", reason: NO_HANDLE }]);
  return ctx.identity.handle;
}
