import type { RunStatement } from "@orchestrator/db";
import type { MessageFilter } from "../messages/message-filter.js";
import type { MessageRecord } from "../messages/message.js";
import { claimForCheck, releaseClaim, selectForCheck, type Claim } from "../messages/message-reads.repository.js";
import { waitForMessages } from "./wait-for-messages.js";
import type { WaiterRegistry } from "./waiter-registry.js";

/** A Check, after validation and defaults. */
export interface CheckQuery {
  readonly filter: MessageFilter;
  readonly limit: number;
  /** Mark what is returned read (claiming: each unread message goes to one caller). */
  readonly markRead: boolean;
  /** Block until something matches (only unread messages count then). */
  readonly wait?: { readonly timeoutMs: number; readonly signal: AbortSignal };
}

/** Messages in Check order; `timedOut` when a wait ran out of time. */
export interface CheckResult {
  readonly messages: readonly MessageRecord[];
  readonly timedOut: boolean;
}

/**
 * Check: one query, or, with `wait`, a wait on the registry that re-runs the
 * query (one indexed statement, prepared) whenever a message of a matching
 * type is committed for the handle.
 * A claim (mark read) answered after its caller left is undone, so those
 * messages stay unread for the next Check.
 */
export async function checkMessages(run: RunStatement, registry: WaiterRegistry, check: CheckQuery): Promise<CheckResult> {
  const filter = check.wait ? { ...check.filter, unreadOnly: true } : check.filter;
  let claim: Claim | undefined;
  const query = async (): Promise<readonly MessageRecord[]> => {
    if (!check.markRead) return selectForCheck(run, filter, check.limit);
    claim = await claimForCheck(run, filter, check.limit);
    return claim.messages;
  };
  if (!check.wait) return { messages: await query(), timedOut: false };
  return waitForMessages(registry, {
    handle: filter.handle,
    types: filter.types.length > 0 ? new Set(filter.types) : undefined,
    timeoutMs: check.wait.timeoutMs,
    signal: check.wait.signal,
    query,
    abandon: async () => {
      if (claim) await releaseClaim(run, claim);
    },
  });
}
