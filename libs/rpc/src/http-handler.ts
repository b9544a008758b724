import type http from "node:http";
import type http2 from "node:http2";

/**
 * A plain HTTP handler mounted on a server's one port beside the RPCs (the
 * web console's assets, `/mcp`, REST transcoding). It answers the request and
 * returns true, or returns false without touching `res` so the next handler
 * (finally the RPC router) gets it. Handlers see the request before auth:
 * each one that needs a key checks it itself.
 */
export type HttpHandler = (
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => boolean;
