import { create } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import {
  CloseSessionResponseSchema,
  GetSessionResponseSchema,
  ListSessionsResponseSchema,
  SendSessionResponseSchema,
  SpawnSessionResponseSchema,
  type CloseSessionRequest,
  type CloseSessionResponse,
  type GetSessionRequest,
  type GetSessionResponse,
  type ListSessionsRequest,
  type ListSessionsResponse,
  type SendSessionRequest,
  type SendSessionResponse,
  type SpawnSessionRequest,
  type SpawnSessionResponse,
} from "@orchestrator/contracts";
import { currentTraceId } from "@orchestrator/telemetry";
import { attemptToProto, checkJsonValue, durationMs } from "@orchestrator/routing";
import type { SessionSender } from "../sessions/session-sender.js";
import type { SessionService } from "../sessions/session.service.js";
import { entryToProto } from "../sessions/entry-to-proto.js";
import { sessionToProto } from "./to-proto.js";

/** Default history entries GetSession returns with include_history. */
const DEFAULT_HISTORY = 100;

/** RouterService/SpawnSession. */
export async function handleSpawnSession(sessions: SessionService, req: SpawnSessionRequest): Promise<SpawnSessionResponse> {
  const { session, token } = await sessions.spawn({
    sessionId: req.sessionId,
    instances: req.instances,
    pool: req.pool,
    ...(req.ttl ? { ttlMs: durationMs(req.ttl) } : {}),
    metadata: req.metadata,
  });
  return create(SpawnSessionResponseSchema, { session: sessionToProto(session), token });
}

/** RouterService/SendSession. */
export async function handleSendSession(sessions: SessionService, sender: SessionSender, req: SendSessionRequest, ctx: HandlerContext): Promise<SendSessionResponse> {
  const data = checkJsonValue(req.data, "data");
  const id = await sessions.resolveId(req);
  const sent = await sender.send(id, data, durationMs(req.timeout), ctx.signal, ctx.timeoutMs());
  return create(SendSessionResponseSchema, {
    sessionId: id,
    sequence: sent.sequence,
    instance: sent.instance,
    ...(sent.result ? { result: sent.result } : {}),
    attempts: sent.attempts.map(attemptToProto),
    failedOver: sent.failedOver,
    traceId: currentTraceId() ?? "",
  });
}

/** RouterService/GetSession. */
export async function handleGetSession(sessions: SessionService, req: GetSessionRequest): Promise<GetSessionResponse> {
  const limit = req.includeHistory ? req.historyLimit || DEFAULT_HISTORY : 0;
  const { session, history } = await sessions.get(req.sessionId, limit);
  return create(GetSessionResponseSchema, { session: sessionToProto(session), history: history.map(entryToProto) });
}

/** RouterService/ListSessions. */
export async function handleListSessions(sessions: SessionService, req: ListSessionsRequest): Promise<ListSessionsResponse> {
  const page = await sessions.list({ instance: req.instance, pool: req.pool, includeClosed: req.includeClosed, limit: req.limit, pageToken: req.pageToken });
  return create(ListSessionsResponseSchema, { sessions: page.sessions.map(sessionToProto), nextPageToken: page.nextPageToken });
}

/** RouterService/CloseSession. */
export async function handleCloseSession(sessions: SessionService, req: CloseSessionRequest): Promise<CloseSessionResponse> {
  const session = await sessions.close(await sessions.resolveId(req));
  return create(CloseSessionResponseSchema, { session: sessionToProto(session) });
}
