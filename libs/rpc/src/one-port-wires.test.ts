import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { create } from "@bufbuild/protobuf";
import { Code, createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import { allFiles, ExecuteResponseSchema, HealthService, WatchHealthResponseSchema, WorkerService } from "@orchestrator/contracts";
import { InvalidArgumentError } from "@orchestrator/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceClient } from "./create-service-client.js";
import { errorReason } from "./error-reason.js";
import { fieldViolations } from "./field-violations.js";
import type { RunningServer } from "./running-server.js";
import type { ServiceModule } from "./service-module.js";
import { startServer } from "./start-server.js";
import { callError } from "./testing/call-error.js";
import { createGrpcJsHealthClient, grpcJsCheck } from "./testing/grpc-js-clients.js";
import { createTestLogger } from "./testing/test-logger.js";

const run = promisify(execFile);
const BUF = fileURLToPath(new URL("../../../node_modules/.bin/buf", import.meta.url));

/** What the handlers saw: `deadline <tag>` when a call's signal aborted, `freed <tag>` when a stream let go of its timer and listener. */
const events: string[] = [];

/**
 * Execute: "wait:<tag>" waits for the call's signal and notes its reason;
 * "invalid" throws a DomainError with a field violation. WatchHealth (tag =
 * instances[0]): one event, then holds a timer and an abort listener until
 * the call ends, and notes when it let go of them.
 */
const probeModule: ServiceModule = {
  serviceNames: [WorkerService.typeName, HealthService.typeName],
  register(router) {
    router.service(WorkerService, {
      async execute(req, ctx) {
        if (req.workId === "invalid") {
          throw InvalidArgumentError.of([{ field: "payload.kind", description: "must be one of a, b" }]);
        }
        if (req.workId.startsWith("wait:")) {
          await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
          events.push(`deadline ${req.workId.slice(5)}`);
        }
        return create(ExecuteResponseSchema, { instance: "probe" });
      },
    });
    router.service(HealthService, {
      async *watchHealth(req, ctx) {
        yield create(WatchHealthResponseSchema, { snapshot: true, instance: { name: "A" } });
        const timer = setInterval(() => undefined, 1000);
        let onAbort = () => {};
        try {
          await new Promise<void>((resolve) => {
            onAbort = resolve;
            ctx.signal.addEventListener("abort", onAbort, { once: true });
          });
        } finally {
          clearInterval(timer);
          ctx.signal.removeEventListener("abort", onAbort);
          events.push(`freed ${req.instances[0]}`);
        }
      },
    });
  },
};

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let server: RunningServer;
let base: string;
beforeAll(async () => {
  server = await startServer({ host: "127.0.0.1", port: 0, apiKeys: [], modules: [probeModule], reflectionFiles: allFiles, logger: createTestLogger().logger, drainTimeoutMs: 60_000 });
  base = `http://${server.address}`;
});
afterAll(() => server.close());

/** Every client wire the port must serve, each as a WorkerService and a HealthService client. */
const wires: ReadonlyArray<[string, () => { worker: Client<typeof WorkerService>; health: Client<typeof HealthService> }]> = [
  ["gRPC, grpc-js (createServiceClient)", () => ({ worker: createServiceClient(WorkerService, { address: server.address, grpcClient: "grpc-js" }), health: createServiceClient(HealthService, { address: server.address, grpcClient: "grpc-js" }) })],
  ["gRPC, connect-es", () => both(createGrpcTransport({ baseUrl: base }))],
  ["Connect, HTTP/1.1", () => both(createConnectTransport({ baseUrl: base, httpVersion: "1.1" }))],
  ["Connect, HTTP/2", () => both(createConnectTransport({ baseUrl: base, httpVersion: "2" }))],
  ["gRPC-Web, HTTP/1.1", () => both(createGrpcWebTransport({ baseUrl: base, httpVersion: "1.1" }))],
];
function both(transport: Parameters<typeof createClient>[1]) {
  return { worker: createClient(WorkerService, transport), health: createClient(HealthService, transport) };
}

describe("one port, every wire", () => {
  it("answers a plain grpc-js client, connect-es over gRPC, Connect (HTTP/1.1, HTTP/2) and gRPC-Web", async () => {
    const plain = createGrpcJsHealthClient(server.address);
    try {
      expect(await grpcJsCheck(plain, "")).toBe("SERVING");
    } finally {
      plain.close();
    }
    for (const [, make] of wires) {
      expect((await make().worker.execute({ workId: "x" })).instance).toBe("probe");
    }
  });

  it("answers curl with Connect JSON", async () => {
    const { stdout } = await run("curl", ["-sS", "-H", "content-type: application/json", "-d", "{}", `${base}/orchestrator.worker.v1.WorkerService/Execute`]);
    expect(JSON.parse(stdout)).toEqual({ instance: "probe" });
  });

  it.each(["grpc-v1", "grpc-v1alpha"])("lists, describes and invokes through buf curl with reflection %s", async (reflect) => {
    const common = ["curl", "--http2-prior-knowledge", "--reflect-protocol", reflect];
    const services = (await run(BUF, [...common, "--list-services", base])).stdout.split("\n");
    expect(services).toEqual(expect.arrayContaining(["grpc.health.v1.Health", "orchestrator.worker.v1.WorkerService"]));
    const methods = (await run(BUF, [...common, "--list-methods", base])).stdout;
    expect(methods).toContain("orchestrator.worker.v1.WorkerService/Execute");
    const answer = await run(BUF, [...common, "--protocol", "grpc", "-d", '{"work_id": "x"}', `${base}/orchestrator.worker.v1.WorkerService/Execute`]);
    expect(JSON.parse(answer.stdout)).toEqual({ instance: "probe" });
  });

  it.each(wires)("carries ErrorInfo and BadRequest details over %s", async (_wire, make) => {
    const err = await callError(make().worker.execute({ workId: "invalid" }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(errorReason(err)).toBe("invalid_argument");
    expect(fieldViolations(err)).toEqual([{ field: "payload.kind", description: "must be one of a, b" }]);
  });

  it("carries the details to a plain grpc-js client in grpc-status-details-bin", async () => {
    const client = new grpc.Client(server.address, grpc.credentials.createInsecure());
    try {
      const err = await new Promise<grpc.ServiceError>((resolve, reject) =>
        client.makeUnaryRequest(
          "/orchestrator.worker.v1.WorkerService/Execute",
          () => Buffer.from([0x0a, 0x07, ...Buffer.from("invalid")]),
          (b: Buffer) => b,
          {},
          (e) => (e ? resolve(e) : reject(new Error("expected a failure"))),
        ),
      );
      expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(err.metadata.get("grpc-status-details-bin")).toHaveLength(1);
    } finally {
      client.close();
    }
  });

  it.each(wires)("aborts the handler's signal at the caller's deadline over %s", async (wire, make) => {
    const err = await callError(make().worker.execute({ workId: `wait:${wire}` }, { timeoutMs: 300 }));
    expect(err.code).toBe(Code.DeadlineExceeded);
    // The server's own timer (grpc-timeout, connect-timeout-ms) or the client giving up, whichever comes first.
    await until("the handler's signal to abort", () => events.includes(`deadline ${wire}`));
  });

  it.each(wires)("frees a stream's timer and listener when the client goes away mid-stream over %s", async (wire, make) => {
    const controller = new AbortController();
    const it = make().health.watchHealth({ instances: [wire] }, { signal: controller.signal })[Symbol.asyncIterator]();
    expect((await it.next()).value?.snapshot).toBe(true);
    expect(events).not.toContain(`freed ${wire}`);
    controller.abort();
    await until("the stream to let go", () => events.includes(`freed ${wire}`));
  });
});
