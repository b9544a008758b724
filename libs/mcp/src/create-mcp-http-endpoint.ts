import { randomUUID } from "node:crypto";
import type http from "node:http";
import type http2 from "node:http2";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { createKeyCheck, type HttpHandler } from "@orchestrator/rpc";
import type { Logger } from "pino";
import { createOrchestratorMcpServer, type OrchestratorMcpServer } from "./create-orchestrator-mcp-server.js";
import { identityFromHeaders } from "./mcp-identity.js";
import { createOrchestratorClients, type OrchestratorAddresses } from "./orchestrator-clients.js";

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

/** What createMcpHttpEndpoint needs. */
export interface McpHttpEndpointOptions {
  /** Accepted Bearer keys (the server's own); empty turns auth off (loopback only). */
  readonly apiKeys: readonly string[];
  /** Where the services answer; called per session (the port is known only once listening). */
  readonly addresses: () => OrchestratorAddresses;
  readonly logger: Logger;
  /** @default "/mcp" */
  readonly path?: string;
  /** A session without requests or open streams this long is closed. @default 1800000 (30 min) */
  readonly sessionIdleMs?: number;
  /** Largest request body accepted. @default 4194304 (4 MiB) */
  readonly maxBodyBytes?: number;
}

/** The `/mcp` endpoint: its handler (for ServerOptions.httpHandlers) and its sessions. */
export interface McpHttpEndpoint {
  readonly handler: HttpHandler;
  /** Open MCP sessions. */
  sessionCount(): number;
  /** Closes every session (in-flight calls aborted, subscriptions ended) and stops the idle sweep. */
  close(): Promise<void>;
}

interface Session {
  readonly mcp: OrchestratorMcpServer;
  readonly transport: StreamableHTTPServerTransport;
  lastSeen: number;
  /** Requests (POST answers, the GET stream) still open. */
  open: number;
}

/**
 * Streamable HTTP MCP at `/mcp` on a server's one port, behind the same
 * Bearer-key check as every RPC (createKeyCheck: constant time, several keys
 * for rotation): without a valid key, 401 with a JSON error, before anything
 * else is read. An `initialize` POST opens a session (`mcp-session-id`)
 * whose identity comes from its x-orchestrator-caller (handle),
 * x-orchestrator-task-id, -dispatch-id and -reply-to headers, and whose
 * service calls carry the caller's own key. Sessions live in this process
 * only (the services hold every piece of state); a client that goes away
 * mid-call has that call aborted (a waiting `check` frees its mailbox waiter
 * at once), and a session left idle is closed after `sessionIdleMs`.
 * Against DNS rebinding (the MCP transport's rule), a request whose Origin
 * is not its own host is refused, and without API keys (loopback only)
 * so is any Host but a loopback name: 403 with a JSON error.
 */
export function createMcpHttpEndpoint(options: McpHttpEndpointOptions): McpHttpEndpoint {
  const path = options.path ?? "/mcp";
  const idleMs = options.sessionIdleMs ?? 30 * 60_000;
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const checkKey = createKeyCheck(options.apiKeys);
  const sessions = new Map<string, Session>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const s of sessions.values()) if (s.open === 0 && now - s.lastSeen > idleMs) s.mcp.server.close().catch((err: unknown) => options.logger.warn({ err }, "closing an idle MCP session failed"));
  }, Math.min(idleMs, 60_000));
  sweep.unref();

  async function handle(req: Req, res: Res): Promise<void> {
    const refused = refusedOrigin(req, options.apiKeys.length > 0);
    if (refused) {
      send(res, 403, { error: { code: "permission_denied", ...refused } });
      return;
    }
    const auth = checkKey(header(req, "authorization"));
    if (!auth.ok) {
      send(res, 401, { error: { code: "unauthenticated", reason: auth.reason, message: auth.message } }, { "www-authenticate": 'Bearer realm="orchestrator"' });
      return;
    }
    let body: unknown;
    if (req.method === "POST") {
      try {
        body = await readJson(req, maxBody);
      } catch (error) {
        send(res, 400, rpcError(-32700, `Parse error: ${error instanceof Error ? error.message : String(error)}`));
        return;
      }
    }
    const sessionId = header(req, "mcp-session-id");
    if (sessionId) {
      const session = sessions.get(sessionId);
      if (!session) {
        send(res, 404, rpcError(-32001, "Session not found: start a new one with an initialize request"));
        return;
      }
      track(session, res, requestIds(body));
      await session.transport.handleRequest(req as http.IncomingMessage, res as http.ServerResponse, body);
      return;
    }
    if (req.method !== "POST" || !isInitializeRequest(body)) {
      send(res, 400, rpcError(-32000, "Bad Request: no mcp-session-id header; a session starts with an initialize request"));
      return;
    }
    let identity;
    try {
      identity = identityFromHeaders((name) => header(req, name));
    } catch (error) {
      send(res, 400, rpcError(-32602, error instanceof Error ? error.message : String(error)));
      return;
    }
    const mcp = createOrchestratorMcpServer({ clients: createOrchestratorClients(options.addresses(), auth.key || undefined), identity });
    const session: Session = { mcp, transport: undefined as unknown as StreamableHTTPServerTransport, lastSeen: Date.now(), open: 0 };
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void sessions.set(id, session),
    });
    (session as { transport: StreamableHTTPServerTransport }).transport = transport;
    const onclose = mcp.server.onclose;
    mcp.server.onclose = () => {
      onclose?.();
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await mcp.server.connect(transport);
    track(session, res, []);
    await transport.handleRequest(req as http.IncomingMessage, res as http.ServerResponse, body);
  }

  /** Counts the open response; when the client drops it before it finished, aborts the requests it carried. */
  function track(session: Session, res: Res, ids: Array<string | number>): void {
    session.open++;
    session.lastSeen = Date.now();
    res.once("close", () => {
      session.open--;
      session.lastSeen = Date.now();
      if (!res.writableFinished) for (const id of ids) session.mcp.abortRequest(id);
    });
  }

  const handler: HttpHandler = (req, res) => {
    // Every RPC passes here first: a cheap prefix test, no allocation.
    const url = req.url ?? "";
    if (!url.startsWith(path) || (url.length > path.length && url[path.length] !== "?")) return false;
    handle(req, res).catch((error: unknown) => {
      options.logger.warn({ err: error }, "MCP request failed");
      if (!res.headersSent) send(res, 500, rpcError(-32603, "internal error"));
      else res.end();
    });
    return true;
  };

  return {
    handler,
    sessionCount: () => sessions.size,
    async close() {
      clearInterval(sweep);
      await Promise.all([...sessions.values()].map((s) => s.mcp.server.close().catch(() => undefined)));
      sessions.clear();
    },
  };
}

/** Host names a browser on this machine uses for a loopback server. */
const LOOPBACK_NAMES: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Why a request is refused as a possible DNS-rebinding or cross-origin call, or undefined when it may go on. */
function refusedOrigin(req: Req, keyed: boolean): { reason: string; message: string } | undefined {
  const host = (header(req, "host") ?? header(req, ":authority") ?? "").toLowerCase();
  if (!keyed) {
    const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0]!;
    if (!LOOPBACK_NAMES.has(name)) {
      return { reason: "host_not_allowed", message: `without API keys /mcp answers loopback host names only, not "${host}"; set ORCHESTRATOR_API_KEY to serve others` };
    }
  }
  const origin = header(req, "origin");
  if (origin !== undefined) {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      originHost = undefined;
    }
    if (originHost !== host) return { reason: "origin_not_allowed", message: `requests from origin ${origin} are not accepted` };
  }
  return undefined;
}

function header(req: Req, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function rpcError(code: number, message: string) {
  return { jsonrpc: "2.0", error: { code, message }, id: null };
}

function send(res: Res, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  (res as http.ServerResponse).writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text).toString(), ...headers });
  res.end(text);
}

/** Reads a JSON request body of at most `max` bytes. */
async function readJson(req: Req, max: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new Error(`request body over ${max} bytes`);
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
}

/** The JSON-RPC request ids in a POST body (one message or a batch). */
function requestIds(body: unknown): Array<string | number> {
  const messages = Array.isArray(body) ? (body as unknown[]) : [body];
  return messages.flatMap((m) => {
    const id = m !== null && typeof m === "object" && "method" in m ? (m as { id?: unknown }).id : undefined;
    return typeof id === "string" || typeof id === "number" ? [id] : [];
  });
}
