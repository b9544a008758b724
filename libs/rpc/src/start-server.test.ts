import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { fromJson, toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import { grpcHealth, HealthService, WorkerService } from "@orchestrator/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceClient } from "./create-service-client.js";
import { createGrpcJsHealthClient, grpcJsCheck } from "./testing/grpc-js-clients.js";
import { startTestServer, type TestServer } from "./testing/start-test-server.js";
import { createFailingModule } from "./testing/test-modules.js";
import { startServer } from "./start-server.js";
import { createTestLogger } from "./testing/test-logger.js";
import { callError } from "./testing/call-error.js";
import type { ServiceModule } from "./service-module.js";

const payload = fromJson(ValueSchema, { data: "task" });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Sends raw bytes in separate writes and resolves everything the server answered until it closed. */
function rawExchange(port: number, chunks: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (d) => (answer += d.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => resolve(answer));
    const send = (i: number) => {
      if (i < chunks.length) {
        socket.write(chunks[i]!, () => setTimeout(() => send(i + 1), 20));
      }
    };
    socket.on("connect", () => send(0));
  });
}

describe("startServer: one cleartext port for every protocol", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.server.close());

  it("reports the bound address", () => {
    expect(t.server.port).toBeGreaterThan(0);
    expect(t.server.address).toBe(`127.0.0.1:${t.server.port}`);
  });

  it.each(["grpc", "grpc-web", "connect"] as const)("answers %s through createServiceClient", async (protocol) => {
    const client = createServiceClient(WorkerService, { address: t.server.address, protocol });
    const res = await client.execute({ workId: "w1", payload });
    expect(res.instance).toBe("test-worker");
    expect(toJson(ValueSchema, res.result!)).toEqual({ data: "task" });
  });

  it("answers Connect over HTTP/2", async () => {
    const transport = createConnectTransport({ baseUrl: `http://${t.server.address}`, httpVersion: "2" });
    const res = await createClient(WorkerService, transport).execute({ workId: "w2", payload });
    expect(res.instance).toBe("test-worker");
  });

  it("answers a plain gRPC peer (grpc-js)", async () => {
    const client = createGrpcJsHealthClient(t.server.address);
    try {
      expect(await grpcJsCheck(client, "")).toBe("SERVING");
    } finally {
      client.close();
    }
  });

  it("answers Connect JSON over HTTP/1.1 to plain fetch, as curl does", async () => {
    const res = await fetch(`http://${t.server.address}/orchestrator.worker.v1.WorkerService/Execute`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ payload: { data: "task" } }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ result: { data: "task" }, instance: "test-worker" });
  });

  it("answers Connect JSON to http.request with HTTP/1.1 and keep-alive off", async () => {
    const body = await new Promise<{ status: number; version: string; text: string }>((resolve, reject) => {
      const req = http.request(
        `http://${t.server.address}/grpc.health.v1.Health/Check`,
        { method: "POST", headers: { "content-type": "application/json", connection: "close" } },
        (res) => {
          let text = "";
          res.on("data", (d) => (text += d));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, version: res.httpVersion, text }));
        },
      );
      req.on("error", reject);
      req.end("{}");
    });
    expect(body).toEqual({ status: 200, version: "1.1", text: JSON.stringify({ status: "SERVING" }) });
  });

  it("tells HTTP/1.1 from HTTP/2 when the first bytes arrive one at a time", async () => {
    // "P" is a prefix of the HTTP/2 preface: the server must wait for more bytes.
    const answer = await rawExchange(t.server.port, [
      "P",
      "OST /grpc.health.v1.Health/Check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n",
      "Content-Length: 2\r\nConnection: close\r\n\r\n{}",
    ]);
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('{"status":"SERVING"}');
  });

  it("accepts an HTTP/2 preface split across packets", async () => {
    const socket = net.connect(t.server.port, "127.0.0.1");
    const write = socket.write.bind(socket) as (data: Uint8Array | string, cb?: (err?: Error | null) => void) => boolean;
    let first = true;
    socket.write = ((data: Uint8Array | string, ...rest: unknown[]) => {
      if (first) {
        first = false;
        const bytes = Buffer.from(data);
        write(bytes.subarray(0, 5));
        setTimeout(() => write(bytes.subarray(5), rest.find((r) => typeof r === "function") as () => void), 20);
        return true;
      }
      return (write as (...a: unknown[]) => boolean)(data, ...rest);
    }) as typeof socket.write;
    const session = http2.connect(`http://${t.server.address}`, { createConnection: () => socket });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const stream = session.request({ ":method": "POST", ":path": "/grpc.health.v1.Health/Check", "content-type": "application/json" });
        stream.on("response", (headers) => resolve(Number(headers[":status"])));
        stream.on("error", reject);
        stream.resume();
        stream.end("{}");
      });
      expect(status).toBe(200);
    } finally {
      session.close();
    }
  });

  it("answers UNIMPLEMENTED to gRPC and 404 to HTTP for unknown methods", async () => {
    const client = new grpc.Client(t.server.address, grpc.credentials.createInsecure());
    const err = await new Promise<grpc.ServiceError | null>((resolve) => {
      client.makeUnaryRequest(
        "/nope.v1.Nope/Nothing",
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.alloc(0),
        (e) => resolve(e),
      );
    });
    client.close();
    expect(err?.code).toBe(grpc.status.UNIMPLEMENTED);
    const res = await fetch(`http://${t.server.address}/nope.v1.Nope/Nothing`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
  });

  it("answers UNIMPLEMENTED for a method the module did not implement", async () => {
    const client = createServiceClient(HealthService, { address: t.server.address });
    const err = await callError(client.getInstance({ name: "A" }));
    expect(err.code).toBe(Code.Unimplemented);
  });

  it("survives malformed bodies on every protocol", async () => {
    const json = await fetch(`http://${t.server.address}/orchestrator.worker.v1.WorkerService/Execute`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"payload": {"data": ',
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { code: string }).code).toBe("invalid_argument");

    const binary = await fetch(`http://${t.server.address}/orchestrator.worker.v1.WorkerService/Execute`, {
      method: "POST",
      headers: { "content-type": "application/proto" },
      body: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]),
    });
    expect(binary.ok).toBe(false);

    const session = http2.connect(`http://${t.server.address}`);
    const grpcStatus = await new Promise<string | undefined>((resolve, reject) => {
      const stream = session.request({
        ":method": "POST",
        ":path": "/orchestrator.worker.v1.WorkerService/Execute",
        "content-type": "application/grpc",
        te: "trailers",
      });
      let status: string | undefined;
      stream.on("response", (headers) => (status ??= headers["grpc-status"] as string | undefined));
      stream.on("trailers", (trailers) => (status = trailers["grpc-status"] as string | undefined));
      stream.on("data", () => {});
      stream.on("end", () => resolve(status));
      stream.on("error", reject);
      // An envelope claiming 1000 bytes, then the stream ends after 3.
      stream.end(Buffer.from([0, 0, 0, 0x03, 0xe8, 1, 2, 3]));
    });
    session.close();
    expect(grpcStatus).toBeDefined();
    expect(grpcStatus).not.toBe("0");

    const garbage = await rawExchange(t.server.port, ["\x00\x01\x02 not http at all\r\n\r\n"]);
    expect(garbage).toMatch(/^(HTTP\/1\.1 400|)/);

    const client = createServiceClient(WorkerService, { address: t.server.address });
    expect((await client.execute({ workId: "after-garbage", payload })).instance).toBe("test-worker");
  });

  it("survives clients that reset mid-stream or mid-request", async () => {
    // gRPC stream cancelled by the client after the first message.
    const abort = new AbortController();
    const health = createServiceClient(grpcHealth.Health, { address: t.server.address, timeoutMs: 0 });
    const statuses: number[] = [];
    await expect(
      (async () => {
        for await (const res of health.watch({ service: "" }, { signal: abort.signal })) {
          statuses.push(res.status);
          abort.abort();
        }
      })(),
    ).rejects.toThrow();
    expect(statuses).toEqual([grpcHealth.HealthCheckResponse_ServingStatus.SERVING]);

    // HTTP/1.1 request whose body never completes.
    await new Promise<void>((resolve) => {
      const socket = net.connect(t.server.port, "127.0.0.1", () => {
        socket.write(
          "POST /orchestrator.worker.v1.WorkerService/Execute HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"pay",
          () => socket.destroy(),
        );
      });
      socket.on("close", () => resolve());
      socket.on("error", () => {});
    });

    // HTTP/2 connection dropped with a stream open.
    await new Promise<void>((resolve) => {
      const session = http2.connect(`http://${t.server.address}`);
      session.on("error", () => {});
      const stream = session.request({ ":method": "POST", ":path": "/grpc.health.v1.Health/Watch", "content-type": "application/grpc" });
      stream.on("error", () => {});
      stream.end(Buffer.from([0, 0, 0, 0, 0])); // an empty HealthCheckRequest: Watch starts
      stream.once("data", () => {
        session.destroy();
        resolve();
      });
    });

    const client = createServiceClient(WorkerService, { address: t.server.address });
    expect((await client.execute({ workId: "after-resets", payload })).instance).toBe("test-worker");
  });
});

describe("startServer: exposure and startup", () => {
  it("refuses a non-loopback host without API keys, naming ORCHESTRATOR_API_KEY", async () => {
    const { logger } = createTestLogger();
    await expect(
      startServer({ host: "0.0.0.0", port: 0, apiKeys: [], modules: [], reflectionFiles: [], logger }),
    ).rejects.toThrow(/ORCHESTRATOR_API_KEY/);
  });

  it("refuses an empty API key", async () => {
    const { logger } = createTestLogger();
    await expect(
      startServer({ host: "127.0.0.1", port: 0, apiKeys: [" "], modules: [], reflectionFiles: [], logger }),
    ).rejects.toThrow(/ORCHESTRATOR_API_KEY/);
  });

  it("listens beyond loopback when a key is set", async () => {
    const t = await startTestServer({ host: "0.0.0.0", apiKeys: ["k1"] });
    try {
      const client = createServiceClient(WorkerService, { address: `127.0.0.1:${t.server.port}`, apiKey: "k1" });
      expect((await client.execute({ workId: "w", payload })).instance).toBe("test-worker");
    } finally {
      await t.server.close();
    }
  });

  it("closes the port and rethrows when a module fails to start", async () => {
    const { logger } = createTestLogger();
    const port = await freePort();
    let listeningDuringStart = false;
    const probe: ServiceModule = {
      serviceNames: [],
      register() {},
      async start() {
        listeningDuringStart = await portAcceptsConnections(port);
      },
    };
    await expect(
      startServer({ host: "127.0.0.1", port, apiKeys: [], modules: [probe, createFailingModule()], reflectionFiles: [], logger }),
    ).rejects.toThrow(/cannot start/);
    expect(listeningDuringStart).toBe(true);
    expect(await portAcceptsConnections(port)).toBe(false);
  });

  it("rejects requests larger than readMaxBytes without going down", async () => {
    const t = await startTestServer({ readMaxBytes: 1024 });
    try {
      const client = createServiceClient(WorkerService, { address: t.server.address });
      const big = fromJson(ValueSchema, { data: "x".repeat(4096) });
      const err = await callError(client.execute({ workId: "big", payload: big }));
      expect(err.code).toBe(Code.ResourceExhausted);
      expect((await client.execute({ workId: "small", payload })).instance).toBe("test-worker");
    } finally {
      await t.server.close();
    }
  });
});
