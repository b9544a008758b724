import { loadClientConfig } from "@orchestrator/config/client";

/**
 * The handle a mailbox command acts as: the one given on the command line,
 * else ORCHESTRATOR_HANDLE (set in every agent's terminal). `required`
 * turns its absence into an error that says how to fix it.
 */
export function ownHandle(given: string | undefined, required: true): string;
export function ownHandle(given: string | undefined, required?: false): string | undefined;
export function ownHandle(given: string | undefined, required = false): string | undefined {
  const handle = given?.trim() || loadClientConfig().handle;
  if (!handle && required) throw new Error("no handle: pass --handle (or --terminal), or set ORCHESTRATOR_HANDLE");
  return handle;
}
