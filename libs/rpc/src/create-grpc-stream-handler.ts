import { getEventListeners } from "node:events";
import type http2 from "node:http2";
import { create, isMessage, toBinary, type DescMessage, type DescMethod, type DescService } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  createContextKey,
  createContextValues,
  type ContextValues,
  type HandlerContext,
  type Interceptor,
  type MethodImplSpec,
  type StreamResponse,
  type UnaryResponse,
} from "@connectrpc/connect";
import { addErrorStatus, addHeaders } from "./grpc-status-headers.js";
import { decodeMessage, GrpcRequestStream } from "./grpc-request-stream.js";
import { LeanHeaders } from "./lean-headers.js";
import { preEncodedBytes } from "./pre-encode.js";
import type { MethodSpecs } from "./record-methods.js";

/** Serves one HTTP/2 stream if it is a gRPC call this handler takes; false leaves it to the next handler. */
export type GrpcStreamHandler = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => boolean;

export interface GrpcStreamHandlerOptions {
  /** Implementations by path; unary, server-streaming and bidi ones are served here. */
  readonly specs: MethodSpecs;
  /** Server interceptors, outermost first (the same ones connect-node applies). */
  readonly interceptors: readonly Interceptor[];
  /** Largest request message accepted, in bytes (RESOURCE_EXHAUSTED above). */
  readonly readMaxBytes: number;
}

type AnyFn = (req: Parameters<ReturnType<Interceptor>>[0]) => Promise<UnaryResponse | StreamResponse>;

interface Prepared {
  readonly spec: MethodImplSpec;
  readonly call: AnyFn;
}

/** The per-call state the innermost function needs, passed down through the request's context values. */
interface CallState {
  readonly method: DescMethod;
  readonly url: string;
  readonly timeoutMs: () => number | undefined;
  readonly responseHeader: Headers;
  readonly responseTrailer: Headers;
}
const kCall = createContextKey<CallState | undefined>(undefined, { description: "grpc call" });

const NO_TIMEOUT = (): number | undefined => undefined;

/**
 * Descriptors of the lazy `signal` accessors below: own and enumerable (a
 * spread such as `{ ...req, message }` reads it, as it would a literal's
 * getter), and one getter function for every call. A getter written in an
 * object literal is a new closure per call, which gives each object its own
 * hidden class; with the spread the handler context used to be made with,
 * that cost about 6% of a trivial call's server CPU (bench/rpc, black box).
 */
let REQUEST_SIGNAL: PropertyDescriptor;
let CONTEXT_SIGNAL: PropertyDescriptor;

/** The request the interceptors see: connect's UnaryRequest or StreamRequest, with the signal made on first read. */
class GrpcRequest {
  declare readonly signal: AbortSignal;
  readonly #signal: () => AbortSignal;
  constructor(
    readonly stream: boolean,
    readonly service: DescService,
    readonly method: DescMethod,
    readonly requestMethod: string,
    readonly url: string,
    signal: () => AbortSignal,
    readonly header: Headers,
    readonly contextValues: ContextValues,
    readonly message: unknown,
  ) {
    this.#signal = signal;
    Object.defineProperty(this, "signal", REQUEST_SIGNAL);
  }
  static {
    REQUEST_SIGNAL = {
      get(this: GrpcRequest) {
        return this.#signal();
      },
      enumerable: true,
      configurable: true,
    };
  }
}

/** The HandlerContext of one call; its signal is the request's, read only if the handler reads it. */
class GrpcHandlerContext implements HandlerContext {
  readonly method: DescMethod;
  readonly requestMethod = "POST";
  readonly protocolName = "grpc";
  readonly url: string;
  readonly timeoutMs: () => number | undefined;
  readonly responseHeader: Headers;
  readonly responseTrailer: Headers;
  readonly service: DescService;
  readonly requestHeader: Headers;
  declare readonly signal: AbortSignal;
  readonly values: ContextValues;
  readonly #req: { readonly signal: AbortSignal };
  constructor(call: CallState, req: Parameters<AnyFn>[0]) {
    this.method = call.method;
    this.url = call.url;
    this.timeoutMs = call.timeoutMs;
    this.responseHeader = call.responseHeader;
    this.responseTrailer = call.responseTrailer;
    this.service = req.service;
    this.requestHeader = req.header;
    this.#req = req;
    Object.defineProperty(this, "signal", CONTEXT_SIGNAL);
    this.values = req.contextValues;
  }
  static {
    CONTEXT_SIGNAL = {
      get(this: GrpcHandlerContext) {
        return this.#req.signal;
      },
      enumerable: true,
      configurable: true,
    };
  }
}

const TIMEOUT_UNIT_MS: Readonly<Record<string, number>> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000001 };

const IGNORE = (): void => {};

/** Why a call's signal aborts once the call has ended normally (no DOMException built per call). */
const CALL_ENDED = new ConnectError("the call has ended", Code.Canceled);

const normalize = (schema: DescMessage, value: unknown) => (isMessage(value, schema) ? value : create(schema, value as never));

/**
 * The gRPC wire (HTTP/2, `application/grpc[+proto]`, uncompressed) served on
 * Node's http2 core stream API: one `stream` event per call, no
 * request/response compatibility objects and no async-iterable pipeline per
 * call, which is where a connect-node server spends most of its CPU
 * (bench/rpc). It runs the handlers registered on the ConnectRouter (see
 * recordMethods) with connect's own Interceptor chain, so tracing, auth,
 * validation, error mapping and the shutdown signal behave exactly as on the
 * other wires.
 *
 * Per call: the handler gets a HandlerContext whose signal aborts on the
 * caller's deadline (`grpc-timeout`, answered DEADLINE_EXCEEDED at once), when
 * the client goes away (RST_STREAM or a closed connection; a server stream's
 * iterator is then returned, so its `finally` blocks run), and when the call
 * ends (a unary call's only if an abort listener is still attached). Server streams are written with back-pressure: the next message is
 * pulled only after the previous one fit in the stream's buffer. Errors go
 * out as gRPC status trailers with `grpc-status-details-bin` (ErrorInfo,
 * BadRequest). A bidi call's handler starts at once and reads the request
 * messages as they arrive (GrpcRequestStream), with no generator pipeline
 * per message on either side (the scheduler's Work stream). Client-streaming
 * methods, compressed requests and gRPC+JSON return false and are left to
 * connect-node.
 */
export function createGrpcStreamHandler(options: GrpcStreamHandlerOptions): GrpcStreamHandler {
  const prepared = new Map<string, Prepared>();
  for (const [path, spec] of options.specs) {
    if (spec.kind === "unary" || spec.kind === "server_streaming" || spec.kind === "bidi_streaming") {
      prepared.set(path, { spec, call: chain(spec, options.interceptors) });
    }
  }
  const limit = options.readMaxBytes;

  return (stream, headers) => {
    const contentType = headers["content-type"];
    if (contentType !== "application/grpc" && contentType !== "application/grpc+proto") {
      return false;
    }
    const entry = prepared.get(headers[":path"] ?? "");
    const encoding = headers["grpc-encoding"];
    if (!entry || headers[":method"] !== "POST" || (encoding !== undefined && encoding !== "identity")) {
      return false;
    }
    serve(stream, headers, entry, contentType, limit);
    return true;
  };
}

/** The interceptor chain of one method, built once; the innermost function calls the implementation. */
function chain(spec: MethodImplSpec, interceptors: readonly Interceptor[]): AnyFn {
  const method = spec.method;
  const inner: AnyFn =
    spec.kind === "unary"
      ? (req) => {
          // Not async: a handler that answers synchronously (most trivial ones) costs one promise here, not two, and a tick less.
          const call = req.contextValues.get(kCall)!;
          const respond = (output: unknown): UnaryResponse => ({
            stream: false,
            service: req.service,
            method: spec.method,
            header: call.responseHeader,
            trailer: call.responseTrailer,
            message: normalize(method.output, output),
          });
          try {
            const output: unknown = spec.impl(req.message as never, new GrpcHandlerContext(call, req));
            return isThenable(output) ? Promise.resolve(output).then(respond) : Promise.resolve(respond(output));
          } catch (err) {
            return Promise.reject(err);
          }
        }
      : async (req) => {
          const call = req.contextValues.get(kCall)!;
          const ctx = new GrpcHandlerContext(call, req);
          const input = spec.kind === "bidi_streaming" ? req.message : await single(req.message as AsyncIterable<unknown>);
          const output = (spec.impl as (i: unknown, c: HandlerContext) => AsyncIterable<unknown>)(input, ctx);
          return { stream: true, service: req.service, method: spec.method as never, header: call.responseHeader, trailer: call.responseTrailer, message: normalizeAll(method.output, output) as never };
        };
  let fn = inner;
  for (let i = interceptors.length - 1; i >= 0; i--) {
    fn = interceptors[i]!(fn as never) as AnyFn;
  }
  return fn;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";

async function single<T>(messages: AsyncIterable<T>): Promise<T> {
  for await (const message of messages) {
    return message; // server-streaming requests carry exactly one message (checked when the body was read)
  }
  throw new ConnectError("protocol error: missing input message for server-streaming method", Code.Unimplemented);
}

async function* normalizeAll(schema: DescMessage, source: AsyncIterable<unknown>): AsyncGenerator<unknown> {
  for await (const value of source) {
    yield normalize(schema, value);
  }
}

async function* once<T>(value: T): AsyncGenerator<T> {
  yield value;
}

function parseTimeoutMs(value: string | string[] | undefined): number | undefined | ConnectError {
  if (typeof value !== "string") {
    return undefined;
  }
  const m = /^(\d{1,8})([HMSmun])$/.exec(value);
  if (!m) {
    return new ConnectError(`protocol error: invalid grpc timeout value: ${value}`, Code.InvalidArgument);
  }
  return Number(m[1]) * TIMEOUT_UNIT_MS[m[2]!]!;
}

function frame(method: DescMethod, message: unknown): Buffer {
  const bytes = preEncodedBytes(message) ?? toBinary(method.output, message as never);
  const out = Buffer.allocUnsafe(5 + bytes.length);
  out[0] = 0;
  out.writeUInt32BE(bytes.length, 1);
  out.set(bytes, 5);
  return out;
}

/** Reads the one request message of a unary or server-streaming call. */
function decodeRequest(body: Buffer, method: DescMethod): unknown {
  if (body.length === 0) {
    throw new ConnectError(`protocol error: missing input message for ${method.methodKind === "unary" ? "unary" : "server-streaming"} method`, Code.Unimplemented);
  }
  if (body.length < 5 || body.length < 5 + body.readUInt32BE(1)) {
    throw new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
  }
  const length = body.readUInt32BE(1);
  if (body.length > 5 + length) {
    throw new ConnectError(`protocol error: received extra input message for ${method.methodKind === "unary" ? "unary" : "server-streaming"} method`, Code.Unimplemented);
  }
  if ((body[0]! & 1) === 1) {
    throw new ConnectError("protocol error: received compressed message without grpc-encoding", Code.Internal);
  }
  return decodeMessage(method.input, body.subarray(5));
}

function serve(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, entry: Prepared, contentType: string, limit: number): void {
  const method = entry.spec.method;
  // The call's signal is made on first use: most unary handlers never read
  // it, and an AbortSignal costs a few percent of a trivial call (bench/rpc).
  let controller: AbortController | undefined;
  let abortReason: unknown;
  const signal = (): AbortSignal => {
    if (!controller) {
      controller = new AbortController();
      if (abortReason !== undefined) controller.abort(abortReason);
    }
    return controller.signal;
  };
  const abort = (reason: unknown) => {
    if (abortReason !== undefined) return;
    abortReason = reason;
    controller?.abort(reason);
  };
  const responseHeader = new LeanHeaders();
  const responseTrailer = new LeanHeaders();
  let finished = false;
  let headersSent = false;
  let timer: NodeJS.Timeout | undefined;
  let iterator: AsyncIterator<unknown> | undefined;
  /** A bidi call's request messages, read as they arrive. */
  const requests = entry.spec.kind === "bidi_streaming" ? new GrpcRequestStream(stream, method.input, limit) : undefined;

  const end = () => {
    finished = true;
    if (timer) clearTimeout(timer);
    requests?.close();
    // Aborting costs an event dispatch; a unary call whose signal nobody
    // listens to any more has nothing to release.
    if (!controller) {
      abortReason ??= CALL_ENDED; // a signal made after the end is born aborted
    } else if (entry.spec.kind !== "unary" || getEventListeners(controller.signal, "abort").length > 0) {
      abort(CALL_ENDED);
    }
  };
  const fail = (error: unknown) => {
    if (finished) return;
    const wasSent = headersSent;
    end();
    if (stream.closed || stream.destroyed) return;
    if (wasSent) {
      const trailers = addErrorStatus(addHeaders({}, responseTrailer), error);
      finishWith(stream, trailers, undefined);
    } else {
      const block = addErrorStatus(addHeaders(addHeaders({ ":status": 200, "content-type": contentType }, responseHeader), responseTrailer), error);
      stream.respond(block, { endStream: true });
    }
    releaseIterator();
  };
  const sendHeaders = () => {
    if (!headersSent) {
      headersSent = true;
      stream.respond(addHeaders({ ":status": 200, "content-type": contentType }, responseHeader), { waitForTrailers: true });
    }
  };
  const releaseIterator = () => {
    const it = iterator;
    iterator = undefined;
    it?.return?.()?.catch(() => {});
  };
  function onClose() {
    if (!finished) {
      finished = true;
      if (timer) clearTimeout(timer);
      const cancelled = new ConnectError("the client cancelled the call", Code.Canceled);
      requests?.abort(cancelled);
      abort(cancelled);
      releaseIterator();
    }
  }
  // `on`, not `once`, for events a stream emits once: no wrapper per listener.
  // onClose stays attached after the end (it does nothing then).
  stream.on("error", IGNORE); // resets are normal: "close" does the cleanup
  stream.on("close", onClose);

  const timeoutMs = parseTimeoutMs(headers["grpc-timeout"]);
  if (typeof timeoutMs === "object") {
    // a ConnectError (not `instanceof`: ConnectError's Symbol.hasInstance costs a few checks per call)
    fail(timeoutMs);
    return;
  }
  const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
  if (timeoutMs !== undefined) {
    timer = setTimeout(() => {
      const err = new ConnectError("the operation timed out", Code.DeadlineExceeded);
      abort(err);
      fail(err);
    }, timeoutMs);
  }

  const start = (input: unknown) => {
    const header = LeanHeaders.fromHttp2(headers);
    const values = createContextValues();
    const authority = headers[":authority"] ?? "localhost";
    const url = `http://${authority}${headers[":path"]}`;
    values.set(kCall, {
      method,
      url,
      timeoutMs: deadline === undefined ? NO_TIMEOUT : () => deadline - Date.now(),
      responseHeader,
      responseTrailer,
    });
    const unary = entry.spec.kind === "unary";
    // The signal stays unmade unless something reads it.
    const req = new GrpcRequest(!unary, method.parent, method, "POST", url, signal, header, values, unary || requests ? input : once(input));
    if (unary) {
      entry
        .call(req as never)
        .then((res) => {
          if (finished) return;
          end();
          if (stream.closed || stream.destroyed) return;
          sendHeaders();
          finishWith(stream, addHeaders({ "grpc-status": "0" }, res.trailer), frame(method, res.message));
        }, fail);
    } else {
      entry
        .call(req as never)
        .then((res) => pump(stream, method, (res as StreamResponse).message, res.trailer), fail);
    }
  };

  if (requests) {
    // Bidi: the handler runs at once and reads each request message as it arrives.
    const input = requests;
    stream.on("data", (chunk: Buffer) => input.write(chunk));
    stream.on("end", () => input.end());
    start(input);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit + 5) {
      fail(new ConnectError(`message size is larger than configured readMaxBytes ${limit}`, Code.ResourceExhausted));
      return; // the rest is read and dropped
    }
    chunks.push(chunk);
  });
  stream.on("end", () => {
    if (finished) return;
    let input: unknown;
    try {
      input = decodeRequest(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), method);
    } catch (err) {
      fail(err);
      return;
    }
    start(input);
  });

  async function pump(s: http2.ServerHttp2Stream, m: DescMethod, messages: AsyncIterable<unknown>, trailer: Headers): Promise<void> {
    if (finished) {
      messages[Symbol.asyncIterator]().return?.()?.catch(() => {});
      return;
    }
    iterator = messages[Symbol.asyncIterator]();
    try {
      for (;;) {
        const it = iterator;
        if (!it) return; // released: the client went away or the deadline passed
        const next = await it.next();
        if (finished) {
          releaseIterator();
          return;
        }
        if (next.done === true) break;
        sendHeaders();
        if (!s.write(frame(m, next.value))) {
          await drained(s);
        }
      }
    } catch (err) {
      fail(err);
      return;
    }
    iterator = undefined;
    end();
    if (s.closed || s.destroyed) return;
    sendHeaders();
    finishWith(s, addHeaders({ "grpc-status": "0" }, trailer), undefined);
  }
}

/** Ends the response body (with `last` as its final chunk) and sends the trailers. */
function finishWith(stream: http2.ServerHttp2Stream, trailers: http2.OutgoingHttpHeaders, last: Buffer | undefined): void {
  stream.on("wantTrailers", () => {
    if (!stream.destroyed) stream.sendTrailers(trailers);
  });
  stream.end(last);
}

/** Resolves once the stream's buffer drained or the stream closed. */
function drained(stream: http2.ServerHttp2Stream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.removeListener("drain", done);
      stream.removeListener("close", done);
      resolve();
    };
    stream.once("drain", done);
    stream.once("close", done);
  });
}
