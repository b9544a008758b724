import http from "node:http";
import http2 from "node:http2";
import net from "node:net";

/** Serves HTTP/2 cleartext (h2c) and HTTP/1.1 on one port; see createCleartextServer. */
export interface CleartextServer {
  /** Listens on `host:port` (0 = ephemeral) and resolves the port bound. */
  listen(host: string, port: number): Promise<number>;
  /**
   * Stops accepting connections, lets open requests finish (HTTP/2 GOAWAY,
   * idle HTTP/1.1 keep-alive connections closed), and destroys whatever is
   * still open after `drainTimeoutMs`. Resolves when every connection is gone.
   */
  close(drainTimeoutMs: number): Promise<void>;
}

type Handler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void;

/** Takes an HTTP/2 stream (and returns true) before the request/response handler sees it; see createCleartextServer. */
export type StreamHandler = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => boolean;

/** How long a new connection may stay silent before it is dropped (it holds a socket, nothing else). */
const FIRST_BYTES_TIMEOUT_MS = 10_000;

/** The client connection preface every HTTP/2 connection starts with. */
const H2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/**
 * One cleartext port for HTTP/2 and HTTP/1.1, so gRPC (h2c), gRPC-Web and
 * Connect (HTTP/1.1 or 2, `curl` included) all reach `handler`. Node's
 * `http2.createServer({allowHTTP1})` only falls back to HTTP/1.1 under TLS, so
 * a `net.Server` reads the first bytes of each connection (buffering until it
 * can tell: the HTTP/2 preface, or anything else), puts them back with
 * `unshift` and hands the socket to an http2 or an http server. Sessions and
 * sockets are tracked because `http2` close waits for client sessions.
 *
 * Each HTTP/2 stream goes to `streamHandler` first (the gRPC wire on the core
 * stream API); the streams it declines (returns false) get Node's
 * request/response compatibility objects and go to `handler`, so Connect and
 * gRPC-Web over HTTP/2 and plain HTTP handlers keep working on the same
 * connection.
 */
export function createCleartextServer(handler: Handler, streamHandler?: StreamHandler): CleartextServer {
  const sockets = new Set<net.Socket>();
  const undecided = new Set<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  let closing = false;

  // `compat` never listens: it only turns the streams it is given into
  // req/res (Node's compatibility layer is a "stream" listener of the server
  // the "request" handler is registered on).
  const compat = http2.createServer({}, handler);
  const h2 = http2.createServer({});
  h2.on("stream", (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, flags: number, rawHeaders: string[]) => {
    if (!streamHandler?.(stream, headers)) {
      compat.emit("stream", stream, headers, flags, rawHeaders);
    }
  });
  h2.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    if (closing) {
      session.close();
    }
  });
  h2.on("sessionError", () => {}); // the session is destroyed; the server goes on

  // HTTP/1.1 sockets with the number of requests in flight on each: a socket
  // at 0 is idle (keep-alive) and is closed on shutdown. (http.Server tracks
  // idle connections itself only once it listens, which this one never does.)
  const h1Sockets = new Map<net.Socket, number>();
  const h1 = http.createServer((req, res) => {
    const socket = req.socket;
    h1Sockets.set(socket, (h1Sockets.get(socket) ?? 0) + 1);
    if (closing) {
      res.setHeader("connection", "close");
    }
    res.once("close", () => {
      const inFlight = (h1Sockets.get(socket) ?? 1) - 1;
      h1Sockets.set(socket, inFlight);
      if (closing && inFlight === 0) {
        socket.destroySoon();
      }
    });
    handler(req, res);
  });
  h1.on("connection", (socket: net.Socket) => {
    h1Sockets.set(socket, 0);
    socket.once("close", () => h1Sockets.delete(socket));
  });

  const net1 = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => {}); // resets are normal; the owning server cleans up
    if (closing) {
      socket.destroy();
      return;
    }
    undecided.add(socket);
    socket.once("close", () => undecided.delete(socket));
    socket.setTimeout(FIRST_BYTES_TIMEOUT_MS, () => socket.destroy());
    let head: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      const n = Math.min(head.length, H2_PREFACE.length);
      const isH2 = head.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (isH2 && head.length < H2_PREFACE.length) {
        return; // a prefix of the preface: wait for more
      }
      socket.removeListener("data", onData);
      undecided.delete(socket);
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(head);
      if (isH2) {
        h2.emit("connection", socket);
      } else {
        h1.emit("connection", socket);
        socket.resume();
      }
    };
    socket.on("data", onData);
  });

  return {
    listen(host, port) {
      return new Promise((resolve, reject) => {
        net1.once("error", reject);
        net1.listen(port, host, () => {
          net1.removeListener("error", reject);
          const address = net1.address();
          resolve(typeof address === "object" && address ? address.port : port);
        });
      });
    },
    close(drainTimeoutMs) {
      closing = true;
      return new Promise((resolve) => {
        const force = setTimeout(() => {
          for (const session of sessions) {
            session.destroy();
          }
          for (const socket of sockets) {
            socket.destroy();
          }
        }, drainTimeoutMs);
        net1.close(() => {
          clearTimeout(force);
          resolve();
        });
        for (const session of sessions) {
          session.close();
        }
        for (const [socket, inFlight] of h1Sockets) {
          if (inFlight === 0) {
            socket.destroySoon();
          }
        }
        for (const socket of undecided) {
          socket.destroy(); // no request started on it yet
        }
      });
    },
  };
}
