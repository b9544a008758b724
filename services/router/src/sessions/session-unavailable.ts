import type { Database } from "@orchestrator/db";
import { FailedPreconditionError, UnknownSessionError } from "@orchestrator/errors";
import type { Kysely } from "kysely";
import { expireIfIdle, findSession } from "./session.repository.js";

/**
 * Explains why a session's lease could not be taken: throws NOT_FOUND
 * (`unknown_session`), or FAILED_PRECONDITION `session_closed` /
 * `session_expired` (expiring it now if it is idle past its ttl: lazy
 * expiry, next to the sweeper). Returns normally when the session is open
 * and another send simply holds it.
 */
export async function sessionUnavailable(db: Kysely<Database>, id: string): Promise<void> {
  await expireIfIdle(db, id);
  const session = await findSession(db, id);
  if (!session) throw new UnknownSessionError(id);
  if (session.state === "closed") throw new FailedPreconditionError("session_closed", `session_id: session "${id}" is closed`, { session_id: id });
  if (session.state === "expired") {
    throw new FailedPreconditionError("session_expired", `session_id: session "${id}" expired after ${session.ttlMs} ms without traffic`, { session_id: id });
  }
}
