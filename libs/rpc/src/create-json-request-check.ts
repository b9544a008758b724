import { Code, ConnectError } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerRequest, UniversalServerResponse } from "@connectrpc/connect/protocol";
import { codeToHttpStatus, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import { InvalidArgumentError } from "@orchestrator/errors";
import type { JsonValue } from "@bufbuild/protobuf";
import { boundConnectError } from "./bound-connect-error.js";
import { checkJsonRequest } from "./check-json-request.js";
import { toConnectError } from "./to-connect-error.js";

const UNARY_JSON = /^application\/json(;\s*charset=utf-?8)?$/i;

/**
 * Wraps a router's handler so a Connect unary JSON request (POST,
 * `application/json`) is checked before connect-es decodes it: an unknown
 * field or a value that does not decode is INVALID_ARGUMENT naming the field
 * (`timeout: invalid duration "abc"`), with BadRequest and ErrorInfo
 * {reason "invalid_argument"} details, as every other bad request. The
 * handler never runs for such a request. Anything else, or a body over
 * `readMaxBytes`, goes to the handler unchanged (connect-es then refuses it
 * its own way).
 */
export function withJsonRequestCheck(handler: UniversalHandler, readMaxBytes: number): UniversalHandler {
  if (!handler.protocolNames.includes("connect")) return handler;
  const checked = async (req: UniversalServerRequest): Promise<UniversalServerResponse> => {
    if (req.method !== "POST" || !UNARY_JSON.test(req.header.get("content-type") ?? "")) return handler(req);
    let json: JsonValue;
    let body: UniversalServerRequest["body"] = req.body;
    if (isAsyncIterable(req.body)) {
      const bytes = await readAll(req.body, readMaxBytes);
      if (bytes === undefined) return refuse(new ConnectError(`message is larger than configured readMaxBytes ${readMaxBytes}`, Code.ResourceExhausted));
      body = (async function* () {
        yield bytes;
      })();
      try {
        json = JSON.parse(new TextDecoder().decode(bytes)) as JsonValue;
      } catch (err) {
        return invalid([{ field: "(body)", description: `not valid JSON: ${(err as Error).message}` }]);
      }
    } else {
      json = req.body as JsonValue;
    }
    const violations = checkJsonRequest(handler.method.input, json);
    if (violations.length > 0) return invalid(violations);
    return handler({ ...req, body });
  };
  return Object.assign(checked, {
    protocolNames: handler.protocolNames,
    service: handler.service,
    method: handler.method,
    requestPath: handler.requestPath,
    allowedMethods: handler.allowedMethods,
    supportedContentType: handler.supportedContentType,
  });
}

function invalid(violations: Parameters<typeof InvalidArgumentError.of>[0]): UniversalServerResponse {
  return refuse(boundConnectError(toConnectError(InvalidArgumentError.of(violations))));
}

/** A Connect unary error response, as connect-es writes one. */
function refuse(err: ConnectError): UniversalServerResponse {
  return {
    status: codeToHttpStatus(err.code),
    header: new Headers({ "content-type": "application/json" }),
    body: (async function* () {
      yield errorToJsonBytes(err, {});
    })(),
  };
}

function isAsyncIterable(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === "object" && body !== null && Symbol.asyncIterator in body;
}

/** The whole body, or undefined when it is over `max` bytes (the rest is left unread). */
async function readAll(body: AsyncIterable<Uint8Array>, max: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > max) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
