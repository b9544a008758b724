import type { ServiceImpl } from "@connectrpc/connect";
import type { RouterService } from "@orchestrator/contracts";
import type { FanoutService, RouteService } from "@orchestrator/routing";
import type { SessionSender } from "../sessions/session-sender.js";
import type { SessionService } from "../sessions/session.service.js";
import { handleFanout, handleFanoutStream } from "./fanout.handler.js";
import { handleRoute } from "./route.handler.js";
import { handleCloseSession, handleGetSession, handleListSessions, handleSendSession, handleSpawnSession } from "./session.handlers.js";

/** The services behind RouterService. */
export interface RouterServices {
  readonly route: RouteService;
  readonly fanout: FanoutService;
  readonly sessions: SessionService;
  readonly sender: SessionSender;
}

/**
 * orchestrator.router.v1.RouterService: one function per RPC (in
 * route.handler, fanout.handler, session.handlers) mapping wire messages
 * to the services. Request rules declared in the proto are already enforced
 * by the validation interceptor; domain errors are mapped at the edge.
 */
export function createRouterServiceHandler(s: RouterServices): ServiceImpl<typeof RouterService> {
  return {
    route: (req, ctx) => handleRoute(s.route, req, ctx),
    fanout: (req, ctx) => handleFanout(s.fanout, req, ctx),
    fanoutStream: (req, ctx) => handleFanoutStream(s.fanout, req, ctx),
    spawnSession: (req) => handleSpawnSession(s.sessions, req),
    sendSession: (req, ctx) => handleSendSession(s.sessions, s.sender, req, ctx),
    getSession: (req) => handleGetSession(s.sessions, req),
    listSessions: (req) => handleListSessions(s.sessions, req),
    closeSession: (req) => handleCloseSession(s.sessions, req),
  };
}
