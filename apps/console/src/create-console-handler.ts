import type { HttpHandler } from "@orchestrator/rpc";
import { CONSOLE_HEADERS } from "./console-headers.js";
import { loadConsoleAssets, type ConsoleAsset } from "./load-console-assets.js";

/** Where the console's assets are and what to do without them. */
export interface ConsoleHandlerOptions {
  /** The built console (`apps/console/dist`, see consoleAssetsDir). */
  readonly dir: string;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>orchestrator console</title>
<p>The console's assets are not built. Run <code>npm run build</code> (or <code>npm start</code>, which builds them when missing) and reload.</p>`;

/**
 * The web console on the server's one port: GET and HEAD of `/`,
 * `/index.html` and the built files (`/assets/...`) answer from memory with
 * a strict Content-Security-Policy and no CORS headers; every other request
 * (the RPCs, whose paths are `/package.Service/Method`) goes on to the next
 * handler. The assets are public (they hold no data and no key); everything
 * the console shows comes from the RPCs, which check the API key as for any
 * client. Served over HTTP/1.1 and HTTP/2 alike.
 */
export function createConsoleHandler(options: ConsoleHandlerOptions): HttpHandler {
  const assets = loadConsoleAssets(options.dir);
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = (req.url ?? "/").split("?")[0]!;
    const wanted = path === "/" ? "/index.html" : path;
    if (!assets) {
      if (wanted !== "/index.html") return false;
      send(res, req.method, 503, { body: Buffer.from(NOT_BUILT), gzip: undefined, contentType: "text/html; charset=utf-8", immutable: false }, false);
      return true;
    }
    const asset = assets.get(wanted);
    if (!asset) return false;
    const acceptsGzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    send(res, req.method, 200, asset, acceptsGzip);
    return true;
  };
}

function send(res: Parameters<HttpHandler>[1], method: string, status: number, asset: ConsoleAsset, acceptsGzip: boolean): void {
  const body = acceptsGzip && asset.gzip ? asset.gzip : asset.body;
  const headers: Record<string, string> = {
    ...CONSOLE_HEADERS,
    "content-type": asset.contentType,
    "content-length": String(body.length),
    "cache-control": asset.immutable ? "public, max-age=31536000, immutable" : "no-cache",
  };
  if (asset.gzip) headers.vary = "accept-encoding";
  if (body === asset.gzip) headers["content-encoding"] = "gzip";
  // The union of http1 and http2 responses has no common writeHead overload; both accept this call.
  (res as import("node:http").ServerResponse).writeHead(status, headers);
  (res as import("node:http").ServerResponse).end(method === "HEAD" ? undefined : body);
}
