import type http from "node:http";
import type http2 from "node:http2";
import type { DescService, JsonObject, JsonValue } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { UniversalHandler } from "@connectrpc/connect/protocol";
import { errorFromJsonBytes } from "@connectrpc/connect/protocol-connect";
import { DomainError } from "@orchestrator/errors";
import FindMyWay from "find-my-way";
import type { Logger } from "pino";
import type { HttpHandler } from "../http-handler.js";
import { toConnectError } from "../to-connect-error.js";
import { httpBindings, type HttpBinding, type HttpVerb } from "./http-bindings.js";
import { createOpenapiDocument } from "./create-openapi-document.js";
import { requestJson, type QueryValues } from "./request-json.js";
import { restError } from "./rest-error.js";

/** Where every server answers its OpenAPI document. */
export const OPENAPI_PATH = "/api/openapi.json";
/** Paths under this prefix that no binding matches are answered 404/405 as JSON instead of falling through. */
const API_PREFIX = "/api/orchestrator/";
const VERBS: readonly HttpVerb[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
/** Request headers not passed to the RPC: the transcoder owns the body's framing and encoding. */
const DROPPED_HEADERS = new Set([
  "content-type", "content-length", "content-encoding", "transfer-encoding", "accept-encoding",
  "connection", "keep-alive", "host", "connect-protocol-version", "connect-content-encoding", "connect-accept-encoding",
]);
/** Response headers of the RPC not passed back (the transcoder writes its own body). */
const DROPPED_RESPONSE_HEADERS = new Set(["content-type", "content-length", "content-encoding"]);

type Request = http.IncomingMessage | http2.Http2ServerRequest;
type Response = http.ServerResponse | http2.Http2ServerResponse;

/** Options of createTranscoder. */
export interface TranscoderOptions {
  /** The RPC router's handlers (startServer's), so REST calls run the same handlers through the same interceptors. */
  readonly handlers: readonly UniversalHandler[];
  /** Largest request body accepted; bigger ones are 413 with code `resource_exhausted`. */
  readonly readMaxBytes: number;
  /** Receives unexpected failures of the glue itself. */
  readonly logger: Logger;
}

interface Route {
  readonly binding: HttpBinding;
  readonly handler: UniversalHandler;
  readonly url: string;
}

function write(res: Response, status: number, body: string | Uint8Array, headers?: Headers): void {
  const r = res as http.ServerResponse;
  if (r.headersSent) {
    r.end();
    return;
  }
  r.statusCode = status;
  headers?.forEach((value, key) => {
    if (!DROPPED_RESPONSE_HEADERS.has(key)) r.setHeader(key, value);
  });
  r.setHeader("content-type", "application/json");
  r.setHeader("content-length", typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
  r.end(body);
}

function writeError(res: Response, err: unknown, status?: number, headers?: Headers): void {
  const e = err instanceof DomainError ? toConnectError(err) : ConnectError.from(err);
  const answer = restError(e, status);
  write(res, answer.status, JSON.stringify(answer.body), headers);
}

/** The request body, or undefined when it is larger than `limit` bytes. */
async function readBody(req: Request, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return undefined;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) return undefined;
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

async function collect(body: AsyncIterable<Uint8Array> | undefined): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** The JSON of a response field when it is unset (proto3 JSON leaves defaults out). */
function emptyJson(binding: HttpBinding): JsonValue {
  const field = binding.responseBody!;
  switch (field.fieldKind) {
    case "map":
    case "message":
      return field.fieldKind === "message" && field.message.typeName === "google.protobuf.Value" ? null : {};
    case "list":
      return [];
    case "enum":
      return field.enum.values[0]?.name ?? 0;
    case "scalar":
      return typeof field.getDefaultValue() === "boolean" ? false : typeof field.getDefaultValue() === "string" ? "" : 0;
  }
}

/**
 * HTTP/JSON transcoding for every RPC whose proto declares
 * `option (google.api.http)`: matches the verb and path (find-my-way),
 * builds the request JSON from path variables, query parameters and the body
 * (requestJson), and runs the RPC's Connect handler with it as a Connect
 * JSON unary call, so auth (Bearer keys), validation, tracing and error
 * mapping are the RPC's own. Answers the response message's protobuf JSON,
 * or its `response_body` field alone; errors as RestErrorBody JSON with the
 * HTTP status their gRPC code maps to (413 for a body over `readMaxBytes`;
 * a member that does not decode is 400 naming it, by the router's
 * withJsonRequestCheck, as for Connect JSON).
 *
 * Also answers GET /api/openapi.json (the OpenAPI document of these
 * bindings) and JSON 404/405 for other paths under /api/orchestrator/.
 * Everything else falls through to the next handler (console, /mcp, RPCs).
 */
export function createTranscoder(options: TranscoderOptions): HttpHandler {
  const router = FindMyWay({ ignoreTrailingSlash: true });
  const byMethod = new Map(options.handlers.map((h) => [h.method, h]));
  const services = new Map<string, DescService>();
  for (const h of options.handlers) services.set(h.service.typeName, h.service);
  const bindings = httpBindings(services.values());
  for (const binding of bindings) {
    const handler = byMethod.get(binding.rpc);
    if (!handler) continue;
    const route: Route = { binding, handler, url: `http://localhost${handler.requestPath}` };
    // find-my-way: `:name` is a parameter, `::` a literal colon.
    const path = binding.path.replace(/:/g, "::").replace(/\{([a-z0-9_]+)\}/g, ":$1");
    router.on(binding.verb, path, () => undefined, route);
  }
  let openapi: string | undefined;

  async function serve(route: Route, params: Readonly<Record<string, string | undefined>>, query: QueryValues, req: Request, res: Response): Promise<void> {
    const { binding, handler } = route;
    const raw = await readBody(req, options.readMaxBytes);
    if (raw === undefined) {
      if (req.httpVersionMajor === 1) (res as http.ServerResponse).setHeader("connection", "close");
      const err = new DomainError("resource_exhausted", "body_too_large", `(body): larger than the limit of ${options.readMaxBytes} bytes`, { field: "(body)", limit: String(options.readMaxBytes) });
      writeError(res, err, 413);
      return;
    }
    let body: JsonValue | undefined;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString("utf8")) as JsonValue;
      } catch (e) {
        writeError(res, new DomainError("invalid_argument", "malformed_json", `(body): not valid JSON (${(e as Error).message})`, { field: "(body)" }, [
          { field: "(body)", description: `not valid JSON (${(e as Error).message})` },
        ]));
        return;
      }
    }
    let json: JsonObject;
    try {
      json = requestJson(binding, params, query, body);
    } catch (e) {
      writeError(res, e);
      return;
    }
    const header = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value === undefined || key.startsWith(":") || DROPPED_HEADERS.has(key)) continue;
      header.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    header.set("content-type", "application/json");
    const abort = new AbortController();
    let answered = false;
    res.once("close", () => {
      if (!answered) abort.abort(new ConnectError("the HTTP client went away", Code.Canceled));
    });
    const uRes = await handler({ httpVersion: req.httpVersion, method: "POST", url: route.url, header, body: json, signal: abort.signal });
    const bytes = await collect(uRes.body);
    answered = true;
    if (uRes.status !== 200) {
      writeError(res, errorFromJsonBytes(bytes, undefined, new ConnectError(`HTTP ${uRes.status}`, Code.Unknown)), undefined, uRes.header);
      return;
    }
    if (!binding.responseBody) {
      write(res, 200, bytes, uRes.header);
      return;
    }
    const message = JSON.parse(Buffer.from(bytes).toString("utf8")) as JsonObject;
    const value = message[binding.responseBody.jsonName] ?? emptyJson(binding);
    write(res, 200, JSON.stringify(value), uRes.header);
  }

  return (req, res) => {
    const url = req.url ?? "/";
    const method = req.method ?? "GET";
    const found = router.find(method as HttpVerb, url);
    if (found) {
      const route = found.store as Route;
      serve(route, found.params, found.searchParams as QueryValues, req, res).catch((err: unknown) => {
        options.logger.error({ err, rpc: `${route.binding.rpc.parent.typeName}/${route.binding.rpc.name}` }, "REST transcoding failed");
        writeError(res, new ConnectError("internal error", Code.Internal));
      });
      return true;
    }
    const path = url.split("?", 1)[0]!;
    if (path === OPENAPI_PATH && method === "GET") {
      openapi ??= JSON.stringify(createOpenapiDocument(bindings), null, 2);
      write(res, 200, openapi);
      return true;
    }
    if (!path.startsWith(API_PREFIX)) return false;
    const allowed = VERBS.filter((v) => router.find(v, url));
    const err = allowed.length > 0
      ? new ConnectError(`${method} is not allowed on ${path} (allowed: ${allowed.join(", ")})`, Code.Unimplemented)
      : new ConnectError(`no API path ${path}; see ${OPENAPI_PATH}`, Code.NotFound);
    if (allowed.length > 0) (res as http.ServerResponse).setHeader("allow", allowed.join(", "));
    writeError(res, err, allowed.length > 0 ? 405 : 404);
    return true;
  };
}
