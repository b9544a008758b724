import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { SessionSchema, SessionState, type Session } from "@orchestrator/contracts";
import { msToDuration } from "@orchestrator/routing";
import type { SessionRecord } from "../sessions/session-record.js";

const STATE: Record<SessionRecord["state"], SessionState> = {
  open: SessionState.OPEN,
  closed: SessionState.CLOSED,
  expired: SessionState.EXPIRED,
};

/** A session record → the wire Session (the token is never part of it). */
export function sessionToProto(s: SessionRecord): Session {
  return create(SessionSchema, {
    sessionId: s.id,
    instance: s.instance,
    pool: s.pool,
    state: STATE[s.state],
    lastSequence: s.lastSequence,
    metadata: { ...s.metadata },
    ttl: msToDuration(s.ttlMs),
    createdAt: timestampFromDate(s.createdAt),
    lastActivityAt: timestampFromDate(s.lastActivityAt),
    expiresAt: timestampFromDate(s.expiresAt),
    ...(s.closedAt ? { closedAt: timestampFromDate(s.closedAt) } : {}),
    instances: [...s.selectors],
    failovers: s.failovers,
  });
}
