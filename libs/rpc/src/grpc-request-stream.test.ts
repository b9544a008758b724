import type http2 from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { WorkRequestSchema } from "@orchestrator/contracts";
import { describe, expect, it } from "vitest";
import { GrpcRequestStream } from "./grpc-request-stream.js";

function fakeStream() {
  const calls: string[] = [];
  return { calls, stream: { pause: () => calls.push("pause"), resume: () => calls.push("resume") } as unknown as http2.ServerHttp2Stream };
}

const hello = (instance: string) => create(WorkRequestSchema, { kind: { case: "hello", value: { instance, slots: 1 } } });

function envelope(bytes: Uint8Array, flags = 0): Buffer {
  const out = Buffer.alloc(5 + bytes.length);
  out[0] = flags;
  out.writeUInt32BE(bytes.length, 1);
  out.set(bytes, 5);
  return out;
}

const instanceOf = (m: unknown) => ((m as ReturnType<typeof hello>).kind.value as { instance: string }).instance;

describe("GrpcRequestStream", () => {
  it("decodes envelopes split across chunks and several in one chunk, then ends on half-close", async () => {
    const { stream } = fakeStream();
    const requests = new GrpcRequestStream(stream, WorkRequestSchema, 1024);
    const body = Buffer.concat([envelope(toBinary(WorkRequestSchema, hello("a"))), envelope(toBinary(WorkRequestSchema, hello("b"))), envelope(toBinary(WorkRequestSchema, hello("c")))]);
    const read = (async () => {
      const got: string[] = [];
      for await (const m of requests) got.push(instanceOf(m));
      return got;
    })();
    requests.write(body.subarray(0, 3));
    requests.write(body.subarray(3, 20));
    requests.write(body.subarray(20));
    requests.end();
    expect(await read).toEqual(["a", "b", "c"]);
  });

  it("fails the read of an envelope over readMaxBytes with RESOURCE_EXHAUSTED, after the messages before it", async () => {
    const { stream } = fakeStream();
    const requests = new GrpcRequestStream(stream, WorkRequestSchema, 8);
    const ok = envelope(toBinary(WorkRequestSchema, hello("a")));
    requests.write(Buffer.concat([ok, envelope(new Uint8Array(20))]));
    expect(instanceOf((await requests.next()).value)).toBe("a");
    const err = await requests.next().catch((e: unknown) => ConnectError.from(e));
    expect(err).toMatchObject({ code: Code.ResourceExhausted, rawMessage: "message size 20 is larger than configured readMaxBytes 8" });
  });

  it("fails a body that ends mid-envelope (INVALID_ARGUMENT) and a compressed envelope (INTERNAL), as connect-node does", async () => {
    const cut = new GrpcRequestStream(fakeStream().stream, WorkRequestSchema, 1024);
    cut.write(envelope(toBinary(WorkRequestSchema, hello("a"))).subarray(0, 7));
    cut.end();
    await expect(cut.next()).rejects.toMatchObject({ code: Code.InvalidArgument, rawMessage: "protocol error: incomplete envelope" });
    const compressed = new GrpcRequestStream(fakeStream().stream, WorkRequestSchema, 1024);
    compressed.write(envelope(new Uint8Array(3), 1));
    await expect(compressed.next()).rejects.toMatchObject({ code: Code.Internal });
  });

  it("pauses the stream while many messages wait, resumes once they are read; abort fails the next read", async () => {
    const { stream, calls } = fakeStream();
    const requests = new GrpcRequestStream(stream, WorkRequestSchema, 1024);
    const one = envelope(toBinary(WorkRequestSchema, hello("x")));
    requests.write(Buffer.concat(Array.from({ length: 40 }, () => one)));
    expect(calls).toEqual(["pause"]);
    for (let i = 0; i < 40; i++) await requests.next();
    expect(calls).toEqual(["pause", "resume"]);
    const pending = requests.next();
    requests.abort(new ConnectError("the client cancelled the call", Code.Canceled));
    await expect(pending).rejects.toMatchObject({ code: Code.Canceled });
  });

  it("ends reads once closed, and drops what comes after", async () => {
    const requests = new GrpcRequestStream(fakeStream().stream, WorkRequestSchema, 1024);
    const pending = requests.next();
    requests.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    requests.write(envelope(toBinary(WorkRequestSchema, hello("late"))));
    expect(await requests.next()).toEqual({ done: true, value: undefined });
  });
});
