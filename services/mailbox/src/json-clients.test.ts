import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { create, createFileRegistry, fromBinary, fromJson, toJson, type DescMessage, type DescService } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { reflectionV1 } from "@orchestrator/contracts";
import { waitFor } from "@orchestrator/testing";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailboxServer, type MailboxServerFixture } from "./test-support.js";

const run = promisify(execFile);
const CURL = "/usr/bin/curl";
let fx: MailboxServerFixture;
beforeAll(async () => {
  fx = await startMailboxServer();
});
afterAll(() => fx?.close());

describe.skipIf(!existsSync(CURL))("curl (Connect JSON over HTTP/1.1)", () => {
  const url = (method: string) => `http://${fx.address}/orchestrator.mailbox.v1.MailboxService/${method}`;
  const curl = async (method: string, body: unknown) => {
    const { stdout } = await run(CURL, ["-s", "-H", "content-type: application/json", "-d", JSON.stringify(body), url(method)]);
    return JSON.parse(stdout) as Record<string, any>;
  };

  it("sends, waits and replies with string types and priorities", async () => {
    const waiting = new Promise<Record<string, any>>((resolve, reject) => {
      const body = JSON.stringify({ handle: "curl-coord", wait: true, types: ["worker_done"], timeoutMs: 20_000 });
      const child = spawn(CURL, ["-sS", "--max-time", "40", "-H", "content-type: application/json", "-d", body, url("Check")]);
      let out = "";
      let err = "";
      child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
      child.on("error", reject);
      // "close", not "exit": stdout may still hold the answer when the process has exited.
      child.on("close", (code) => {
        try {
          resolve(JSON.parse(out) as Record<string, any>);
        } catch {
          reject(new Error(`curl's waiting Check exited ${code} with ${JSON.stringify(out)} (stderr: ${err.trim()})`));
        }
      });
    });
    await waitFor("curl's waiting check", () => fx.module.waiterCount() === 1);

    const sent = await curl("Send", { to: "curl-coord", from: "kite-1", subject: "done", type: "worker_done", priority: "high", payload: '{"task":"t1"}' });
    expect(sent.messages[0]).toMatchObject({ to: "curl-coord", type: "worker_done", priority: "high", payload: '{"task":"t1"}' });

    const checked = await waiting;
    expect(checked.messages.map((m: any) => [m.id, m.subject, m.type, m.priority])).toEqual([[sent.messages[0].id, "done", "worker_done", "high"]]);

    const replied = await curl("Reply", { id: sent.messages[0].id, body: "thanks" });
    expect(replied.message).toMatchObject({ from: "curl-coord", to: "kite-1", threadId: sent.threadId, type: "status" });
   }, 60_000);

  it("answers bad input with invalid_argument naming the field", async () => {
    const err = await curl("Send", { to: "x", subject: "s", type: "TYPE_WORKER_DONE" });
    expect(err.code).toBe("invalid_argument");
    expect(err.message).toContain("type");
  });
});

describe("grpc-js (a plain gRPC peer, from the .proto)", () => {
  const PROTO_ROOT = fileURLToPath(new URL("../../../proto/", import.meta.url));
  type Callback = (err: grpc.ServiceError | null, res: any) => void;
  type MailboxClient = grpc.Client & Record<"Send" | "Check" | "Reply", (req: object, cb: Callback) => void>;
  let client: MailboxClient;
  const call = (method: "Send" | "Check" | "Reply", req: object) =>
    new Promise<any>((resolve, reject) => client[method](req, (err, res) => (err ? reject(err) : resolve(res))));

  beforeAll(() => {
    const definition = protoLoader.loadSync("orchestrator/mailbox/v1/mailbox.proto", { keepCase: true, longs: String, defaults: true, includeDirs: [PROTO_ROOT] });
    const pkg = grpc.loadPackageDefinition(definition) as any;
    client = new pkg.orchestrator.mailbox.v1.MailboxService(fx.address, grpc.credentials.createInsecure());
  });
  afterAll(() => client?.close());

  it("sends, waits and replies", async () => {
    const waiting = call("Check", { handle: "grpc-coord", wait: true, types: ["worker_done"], timeout_ms: 20_000 });
    await waitFor("grpc-js's waiting check", () => fx.module.waiterCount() === 1);
    const sent = await call("Send", { to: "grpc-coord", from: "kite-2", subject: "done", type: "worker_done", priority: "urgent" });
    const checked = await waiting;
    expect(checked.messages.map((m: any) => [m.id, m.type, m.priority, m.seq])).toEqual([[sent.messages[0].id, "worker_done", "urgent", "1"]]);
    const replied = await call("Reply", { id: sent.messages[0].id, body: "ok" });
    expect(replied.message.to).toBe("kite-2");
  });
});

describe("grpcurl's path: descriptors from server reflection, requests from JSON", () => {
  it("resolves MailboxService from reflection and calls Send and Check with JSON bodies", async () => {
    const transport = createGrpcTransport({ baseUrl: `http://${fx.address}` });
    const reflection = createClient(reflectionV1.ServerReflection, transport);
    async function* ask() {
      yield create(reflectionV1.ServerReflectionRequestSchema, { messageRequest: { case: "fileContainingSymbol", value: "orchestrator.mailbox.v1.MailboxService" } });
    }
    const files = [];
    for await (const res of reflection.serverReflectionInfo(ask())) {
      if (res.messageResponse.case === "fileDescriptorResponse") {
        files.push(...res.messageResponse.value.fileDescriptorProto.map((b) => fromBinary(FileDescriptorProtoSchema, b)));
      }
    }
    // Dependencies resolved by file name, as grpcurl does (the answer's order is not a dependency order).
    const byName = new Map(files.map((f) => [f.name, f]));
    const registry = createFileRegistry(byName.get("orchestrator/mailbox/v1/mailbox.proto")!, (name) => byName.get(name));
    const service = registry.getService("orchestrator.mailbox.v1.MailboxService") as DescService;
    const method = (name: string) => service.methods.find((m) => m.name === name)!;
    const invoke = async (name: string, json: object) => {
      const m = method(name);
      const res = await transport.unary(m as never, undefined, undefined, undefined, fromJson(m.input as DescMessage, json as never));
      return toJson(m.output as DescMessage, res.message as never, { registry }) as Record<string, any>;
    };
    const sent = await invoke("Send", { to: "curlish", subject: "s", type: "merge_ready", priority: "high" });
    expect(sent.messages[0]).toMatchObject({ type: "merge_ready", priority: "high", to: "curlish" });
    const checked = await invoke("Check", { handle: "curlish", wait: true, timeoutMs: 5000 });
    expect(checked.messages[0].id).toBe(sent.messages[0].id);
  });
});
