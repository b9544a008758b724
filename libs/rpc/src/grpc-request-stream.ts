import type http2 from "node:http2";
import { fromBinary, type DescMessage } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";

/** Messages decoded and not yet read above which the HTTP/2 stream is paused (flow control pushes back on the client). */
const HIGH_WATER = 32;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The request messages of a bidi gRPC call served on the http2 core API
 * (createGrpcStreamHandler): the body is split into envelopes and each is
 * decoded as it arrives, and read by the handler as an async iterable, one
 * `next()` per message with no generator pipeline between the socket and
 * the handler. Errors are connect-node's own for the same input: an
 * envelope over `readMaxBytes` is RESOURCE_EXHAUSTED, a compressed one
 * INTERNAL, a body that ends mid-envelope INVALID_ARGUMENT, a message that
 * does not parse INTERNAL; they are thrown by the read that would have
 * returned that message. The stream is paused while more than 32 messages
 * wait to be read.
 */
export class GrpcRequestStream implements AsyncIterable<unknown>, AsyncIterator<unknown> {
  readonly #stream: http2.ServerHttp2Stream;
  readonly #schema: DescMessage;
  readonly #limit: number;
  readonly #queue: unknown[] = [];
  #head = 0;
  /** Bytes of an envelope not complete yet. */
  #partial: Buffer | undefined;
  #ended = false;
  #error: unknown;
  #closed = false;
  #paused = false;
  #wake: (() => void) | undefined;

  constructor(stream: http2.ServerHttp2Stream, schema: DescMessage, readMaxBytes: number) {
    this.#stream = stream;
    this.#schema = schema;
    this.#limit = readMaxBytes;
  }

  /** Takes a chunk of the request body. */
  write(chunk: Buffer): void {
    if (this.#closed || this.#ended || this.#error !== undefined) return;
    let buf = this.#partial === undefined ? chunk : Buffer.concat([this.#partial, chunk]);
    this.#partial = undefined;
    while (buf.length >= 5) {
      const length = buf.readUInt32BE(1);
      if (length > this.#limit) {
        this.#fail(new ConnectError(`message size ${length} is larger than configured readMaxBytes ${this.#limit}`, Code.ResourceExhausted));
        return;
      }
      if (buf.length < 5 + length) break;
      if ((buf[0]! & 1) === 1) {
        this.#fail(new ConnectError("received compressed envelope, but do not know how to decompress", Code.Internal));
        return;
      }
      let message: unknown;
      try {
        message = decodeMessage(this.#schema, buf.subarray(5, 5 + length));
      } catch (e) {
        this.#fail(e);
        return;
      }
      this.#queue.push(message);
      buf = buf.subarray(5 + length);
    }
    if (buf.length > 0) this.#partial = Buffer.from(buf); // a copy: the chunk's memory is not kept alive by a tail
    if (this.#queue.length - this.#head > HIGH_WATER && !this.#paused) {
      this.#paused = true;
      this.#stream.pause();
    }
    this.#notify();
  }

  /** The client half-closed: reads end once the queue is empty. */
  end(): void {
    if (this.#ended) return;
    if (this.#partial !== undefined) {
      this.#fail(new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument));
      return;
    }
    this.#ended = true;
    this.#notify();
  }

  /** The call ended or broke: reads pending and to come throw `reason` (after what is queued, unless it is dropped). */
  abort(reason: unknown): void {
    this.#fail(reason);
  }

  /** Stops taking data (the call ended): what comes is read and dropped, so the stream can close. */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    this.#head = 0;
    this.#partial = undefined;
    this.#resume();
    this.#notify();
  }

  [Symbol.asyncIterator](): AsyncIterator<unknown> {
    return this;
  }

  next(): Promise<IteratorResult<unknown>> {
    if (this.#head < this.#queue.length) {
      const value = this.#queue[this.#head];
      this.#queue[this.#head++] = undefined;
      if (this.#head === this.#queue.length) {
        this.#queue.length = 0;
        this.#head = 0;
        this.#resume();
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#ended || this.#closed) return Promise.resolve(DONE);
    return new Promise<void>((resolve) => (this.#wake = resolve)).then(() => this.next());
  }

  /** The handler stopped reading: what comes is dropped. */
  return(): Promise<IteratorResult<unknown>> {
    this.close();
    return Promise.resolve(DONE);
  }

  #fail(error: unknown): void {
    if (this.#error !== undefined || this.#ended) return;
    this.#error = error;
    this.#partial = undefined;
    this.#resume();
    this.#notify();
  }

  /** Lets the HTTP/2 stream flow again if it was paused. */
  #resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#stream.resume();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

/** Decodes one request message as connect-node would: a message that does not parse is INTERNAL ("parse binary: …"). */
export function decodeMessage(schema: DescMessage, bytes: Uint8Array): unknown {
  try {
    return fromBinary(schema, bytes);
  } catch (e) {
    throw new ConnectError(`parse binary: ${e instanceof Error ? e.message : String(e)}`, Code.Internal);
  }
}
