import type { Database } from "@orchestrator/db";
import { notify } from "@orchestrator/db";
import type { Deadline } from "@orchestrator/routing";
import type { Kysely } from "kysely";
import { SESSION_CHANNEL, type LeaseSignals } from "./lease-signals.js";
import type { SessionRecord } from "./session-record.js";
import { releaseLease, tryAcquireLease } from "./session.repository.js";
import { sessionUnavailable } from "./session-unavailable.js";

/** Extra lease time beyond the send's deadline, so a live holder never loses it mid-delivery. */
const LEASE_MARGIN_MS = 5000;
/** Longest wait between lease checks when no release notification arrives (a safety net). */
const LEASE_RECHECK_MS = 2000;

/**
 * Takes a session's send lease for `holder`, waiting while another send
 * (on any replica) holds it: woken by the NOTIFY its release sends, with a
 * re-check every 2 s as a safety net, until `deadline`. The lease lasts the
 * deadline plus a margin, so a crashed holder's lease runs out on its own.
 * Throws NOT_FOUND (`unknown_session`) or FAILED_PRECONDITION
 * (`session_closed`, `session_expired`), or the deadline's reason.
 */
export async function acquireSessionLease(db: Kysely<Database>, signals: LeaseSignals, id: string, holder: string, deadline: Deadline): Promise<SessionRecord> {
  for (;;) {
    const wait = signals.prepare(id); // before trying, so a release in between is not missed
    const session = await tryAcquireLease(db, id, holder, deadline.remaining() + LEASE_MARGIN_MS);
    if (session) {
      wait.cancel();
      return session;
    }
    try {
      await sessionUnavailable(db, id); // throws unknown, closed or expired; returns when merely held
    } catch (error) {
      wait.cancel();
      throw error;
    }
    if (deadline.signal.aborted) {
      wait.cancel();
      throw deadline.signal.reason;
    }
    await wait.wait(Math.min(LEASE_RECHECK_MS, deadline.remaining()), deadline.signal);
  }
}

/** Frees `holder`'s lease after a failed send and wakes the waiters; best effort (the lease also runs out on its own). */
export async function releaseSessionLease(db: Kysely<Database>, id: string, holder: string): Promise<void> {
  try {
    await releaseLease(db, id, holder);
    await notify(db, SESSION_CHANNEL, id);
  } catch {
    // The lease runs out on its own; waiters re-check then.
  }
}
