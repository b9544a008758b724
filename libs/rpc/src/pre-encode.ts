import { toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";

const encodings = new WeakMap<object, Uint8Array>();

/**
 * Encodes `message` now and remembers its bytes, so a gRPC server stream
 * that sends it later writes them instead of encoding it then: a caller
 * that knows what it will send can encode while it waits for something
 * else (the scheduler encodes a step's pushes while the step's COMMIT is
 * in flight). The message must not change afterwards. Other wires
 * (Connect, gRPC-Web) encode it as usual.
 */
export function preEncode<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): MessageShape<Desc> {
  encodings.set(message, toBinary(schema, message));
  return message;
}

/** The bytes preEncode made of `message`, if it did. */
export function preEncodedBytes(message: unknown): Uint8Array | undefined {
  return typeof message === "object" && message !== null ? encodings.get(message) : undefined;
}
