import { create, fromBinary, isMessage, toBinary, type DescMessage, type DescMethod } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  createContextValues,
  type ContextValues,
  type Interceptor,
  type StreamRequest,
  type StreamResponse,
  type Transport,
  type UnaryRequest,
  type UnaryResponse,
} from "@connectrpc/connect";
import { findTrailerError } from "@connectrpc/connect/protocol-grpc";
import type * as grpcJs from "@grpc/grpc-js";
import { channelFor, loadGrpcJs, type GrpcJs } from "./grpc-channel-pool.js";
import { LeanHeaders } from "./lean-headers.js";

export interface GrpcJsTransportOptions {
  /** "http://host:port" (https:// for TLS). */
  readonly baseUrl: string;
  /** Client interceptors, outermost first (tracing, bearer auth). */
  readonly interceptors: readonly Interceptor[];
  /** Deadline of calls that set none; undefined = none. */
  readonly defaultTimeoutMs?: number;
}

/** A call made on a grpc-js channel (the layer under its Client classes). */
type ChannelCall = ReturnType<grpcJs.Channel["createCall"]>;
type AnyFn = (req: UnaryRequest | StreamRequest) => Promise<UnaryResponse | StreamResponse>;

/** The signal of calls given none: never aborts, costs nothing per call. */
const NEVER = new AbortController().signal;
const TIMEOUT_HEADER = "grpc-timeout";
/** Request headers the grpc-js call sets itself. */
const NOT_METADATA: ReadonlySet<string> = new Set([TIMEOUT_HEADER, "content-type", "te", "user-agent", "grpc-encoding", "grpc-accept-encoding"]);

const normalize = (schema: DescMessage, value: unknown) => (isMessage(value, schema) ? value : create(schema, value as never));

function toMetadata(grpc: GrpcJs, header: Headers): grpcJs.Metadata {
  const md = new grpc.Metadata();
  header.forEach((value, key) => {
    if (!NOT_METADATA.has(key)) {
      if (key.endsWith("-bin")) md.add(key, Buffer.from(value, "base64"));
      else md.add(key, value);
    }
  });
  return md;
}

function fromMetadata(md: grpcJs.Metadata, into: Headers = new LeanHeaders()): Headers {
  const h = md.toHttp2Headers();
  for (const key in h) {
    const value = h[key];
    if (Array.isArray(value)) for (const v of value) into.append(key, v);
    else if (value !== undefined) into.append(key, String(value));
  }
  return into;
}

/**
 * A failed status as connect clients see it: code, message, details
 * (ErrorInfo, BadRequest), and headers and trailers as metadata. As with
 * connect-node, the metadata has `grpc-status` and `grpc-message` only when
 * the server answered (response headers came, or a trailers-only response,
 * which carries `content-type`); a status grpc-js made up itself (connection
 * refused or lost, local deadline, cancel) has none, so callers can tell an
 * instance that answered UNAVAILABLE from one that could not be reached.
 */
function statusError(status: grpcJs.StatusObject, header: Headers | undefined, signal: AbortSignal): ConnectError {
  if ((status.code as number) === Code.Canceled && signal.aborted) {
    return ConnectError.from(signal.reason ?? new ConnectError("the operation was aborted", Code.Canceled), Code.Canceled);
  }
  const trailer = fromMetadata(status.metadata, new Headers(header));
  const answered = header !== undefined || trailer.has("content-type");
  trailer.set("grpc-status", String(status.code));
  trailer.set("grpc-message", encodeURIComponent(status.details));
  const err = findTrailerError(trailer) ?? new ConnectError(status.details, Code.Unknown);
  if (!answered) {
    err.metadata.delete("grpc-status");
    err.metadata.delete("grpc-message");
  }
  return err;
}

/** The deadline in the request header (set from the call's timeout, as connect's own gRPC transport does). */
function deadlineOf(header: Headers): number {
  const t = header.get(TIMEOUT_HEADER);
  return t === null ? Infinity : Date.now() + Number(t.slice(0, -1));
}

/**
 * A connect `Transport` (so `createClient` and every typed client keep
 * working unchanged) that speaks gRPC through @grpc/grpc-js's channel API:
 * one pooled channel per address (channelFor), protobuf-es serialization,
 * connect Interceptors run around each call as on any connect transport.
 * Per call: the timeout (the call's, else `defaultTimeoutMs`) is sent as
 * `grpc-timeout` and enforced by grpc-js; aborting the call's signal cancels
 * it (RST_STREAM); errors become ConnectErrors with the server's details.
 * Response streams are read one message at a time, as the caller iterates
 * (HTTP/2 flow control pushes back on the server), and leaving the loop
 * cancels the call.
 */
export function createGrpcJsTransport(options: GrpcJsTransportOptions): Transport {
  const { baseUrl } = options;
  const compose = (inner: AnyFn): AnyFn => {
    let fn = inner;
    for (let i = options.interceptors.length - 1; i >= 0; i--) {
      fn = options.interceptors[i]!(fn as never) as AnyFn;
    }
    return fn;
  };
  const unaryCall = compose((req) => {
    const loaded = loadGrpcJs();
    const call = (grpc: GrpcJs) => callUnary(grpc, channelFor(grpc, baseUrl), req as UnaryRequest);
    return loaded instanceof Promise ? loaded.then(call) : call(loaded);
  });
  const streamCall = compose(async (req) => {
    const grpc = await loadGrpcJs();
    // A server-streaming request is one message: taken first, so the call's
    // headers, message and end of request leave together, as connect-node sends them.
    const single = req.method.methodKind === "server_streaming" ? await firstMessage(req.message as AsyncIterable<unknown>) : undefined;
    return callStream(grpc, channelFor(grpc, baseUrl), req as StreamRequest, single);
  });

  /** The request an interceptor chain sees: the call's timeout as `grpc-timeout` (else the default), a signal that never aborts when none was given. */
  const request = (
    method: DescMethod,
    signal: AbortSignal | undefined,
    timeoutMs: number | undefined,
    init: ConstructorParameters<typeof Headers>[0],
    contextValues: ContextValues | undefined,
  ) => {
    // A Map-backed Headers (LeanHeaders): an undici Headers per call costs a few percent of a trivial call.
    const header = new LeanHeaders();
    if (init !== undefined) new Headers(init).forEach((value, key) => header.append(key, value));
    const t = timeoutMs ?? options.defaultTimeoutMs;
    if (t !== undefined && t > 0) header.set(TIMEOUT_HEADER, `${Math.ceil(t)}m`);
    return {
      service: method.parent,
      method,
      requestMethod: "POST",
      url: `${baseUrl}/${method.parent.typeName}/${method.name}`,
      header,
      contextValues: contextValues ?? createContextValues(),
      signal: signal ?? NEVER,
    };
  };

  return {
    // Not async: the interceptors' promise is the call's (one promise less per call).
    unary(method, signal, timeoutMs, header, input, contextValues) {
      try {
        const req = { ...request(method, signal, timeoutMs, header, contextValues), stream: false, message: normalize(method.input, input) };
        return unaryCall(req as UnaryRequest) as never;
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async stream(method, signal, timeoutMs, header, input, contextValues) {
      const req = { ...request(method, signal, timeoutMs, header, contextValues), stream: true, message: input };
      return (await streamCall(req as StreamRequest)) as never;
    },
  };
}

/** A message's bytes as a Buffer over toBinary's own array (fresh for every call, never written again): no copy. */
function encode(schema: DescMessage, message: unknown): Buffer {
  const bytes = toBinary(schema, message as never);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function path(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

function callUnary(grpc: GrpcJs, channel: grpcJs.Channel, req: UnaryRequest): Promise<UnaryResponse> {
  const { method, signal } = req;
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(ConnectError.from(signal.reason, Code.Canceled));
      return;
    }
    const call = channel.createCall(path(method), deadlineOf(req.header), undefined, null, null);
    const onAbort = () => call.cancelWithStatus(grpc.status.CANCELLED, "cancelled by the client");
    if (signal !== NEVER) signal.addEventListener("abort", onAbort);
    let header: Headers | undefined;
    let payload: Buffer | undefined;
    call.start(toMetadata(grpc, req.header), {
      onReceiveMetadata(md) {
        header = fromMetadata(md);
      },
      onReceiveMessage(message: Buffer) {
        payload = message;
      },
      onReceiveStatus(status) {
        if (signal !== NEVER) signal.removeEventListener("abort", onAbort);
        if (status.code !== grpc.status.OK) {
          reject(statusError(status, header, signal));
          return;
        }
        if (payload === undefined) {
          reject(new ConnectError("protocol error: missing output message for unary method", Code.Unimplemented));
          return;
        }
        try {
          const message = fromBinary(method.output, payload);
          resolve({ stream: false, service: req.service, method, header: header ?? new LeanHeaders(), trailer: fromMetadata(status.metadata), message });
        } catch (e) {
          reject(new ConnectError(`parse binary: ${e instanceof Error ? e.message : String(e)}`, Code.Internal));
        }
      },
    });
    call.sendMessageWithContext({}, encode(method.input, req.message));
    call.halfClose();
    call.startRead();
  });
}

async function firstMessage(messages: AsyncIterable<unknown>): Promise<{ message: unknown }> {
  for await (const message of messages) {
    return { message };
  }
  throw new ConnectError("protocol error: missing input message for server-streaming method", Code.InvalidArgument);
}

function callStream(grpc: GrpcJs, channel: grpcJs.Channel, req: StreamRequest, single: { message: unknown } | undefined): Promise<StreamResponse> {
  const { method, signal } = req;
  if (signal.aborted) {
    return Promise.reject(ConnectError.from(signal.reason, Code.Canceled));
  }
  const call = channel.createCall(path(method), deadlineOf(req.header), undefined, null, null);
  const trailer: Headers = new LeanHeaders();
  let header: Headers | undefined;
  // Messages received and not yet taken (at most one: the next is read only when asked for).
  const queue: Buffer[] = [];
  let status: grpcJs.StatusObject | undefined;
  let reading = false;
  let wake: (() => void) | undefined;
  let settleHeaders: ((ok: boolean) => void) | undefined;
  const headersArrived = new Promise<boolean>((resolve) => (settleHeaders = resolve));

  const onAbort = () => call.cancelWithStatus(grpc.status.CANCELLED, "cancelled by the client");
  if (signal !== NEVER) signal.addEventListener("abort", onAbort);
  call.start(toMetadata(grpc, req.header), {
    onReceiveMetadata(md) {
      header = fromMetadata(md);
      settleHeaders?.(true);
    },
    onReceiveMessage(message: Buffer) {
      reading = false;
      queue.push(message);
      wake?.();
    },
    onReceiveStatus(s) {
      if (signal !== NEVER) signal.removeEventListener("abort", onAbort);
      status = s;
      fromMetadata(s.metadata, trailer);
      settleHeaders?.(s.code === grpc.status.OK);
      wake?.();
    },
  });
  if (single) {
    call.sendMessageWithContext({}, encode(method.input, normalize(method.input, single.message)));
    call.halfClose();
  } else {
    pumpRequests(grpc, call, req, () => status !== undefined).catch(() => undefined); // it reports its own failures by cancelling the call
  }

  const failed = () => statusError(status!, header, signal);
  const messages: AsyncIterable<unknown> = {
    [Symbol.asyncIterator]() {
      let done = false;
      return {
        async next(): Promise<IteratorResult<unknown>> {
          for (;;) {
            const buf = queue.shift();
            if (buf !== undefined) {
              try {
                return { done: false, value: fromBinary(method.output, buf) };
              } catch (e) {
                call.cancelWithStatus(grpc.status.INTERNAL, "response could not be parsed");
                throw new ConnectError(`parse binary: ${e instanceof Error ? e.message : String(e)}`, Code.Internal);
              }
            }
            if (status) {
              done = true;
              if (status.code !== grpc.status.OK) throw failed();
              return { done: true, value: undefined };
            }
            if (!reading) {
              reading = true;
              call.startRead();
            }
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
          }
        },
        async return(): Promise<IteratorResult<unknown>> {
          if (!done && !status) {
            call.cancelWithStatus(grpc.status.CANCELLED, "the client stopped reading");
          }
          done = true;
          return { done: true, value: undefined };
        },
      };
    },
  };

  return headersArrived.then((ok) => {
    settleHeaders = undefined;
    if (!ok && status && status.code !== grpc.status.OK && queue.length === 0) {
      throw failed();
    }
    return { stream: true, service: req.service, method, header: header ?? new LeanHeaders(), trailer, message: messages } as StreamResponse;
  });
}

/** Sends a client stream's messages one at a time (each once grpc-js took the previous), then half-closes. */
async function pumpRequests(grpc: GrpcJs, call: ChannelCall, req: StreamRequest, ended: () => boolean): Promise<void> {
  const { method } = req;
  try {
    for await (const message of req.message) {
      const bytes = encode(method.input, normalize(method.input, message));
      await new Promise<unknown>((resolve) => call.sendMessageWithContext({ callback: resolve }, bytes));
      if (ended()) return;
    }
    call.halfClose();
  } catch (e) {
    call.cancelWithStatus(grpc.status.CANCELLED, `request stream failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
