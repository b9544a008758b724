import net from "node:net";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import * as grpc from "@grpc/grpc-js";
import { ExecuteResponseSchema, HealthService, WorkerService } from "@orchestrator/contracts";
import { describe, expect, it } from "vitest";
import { createServiceClient } from "./create-service-client.js";
import type { RunningServer } from "./running-server.js";
import type { ServiceModule } from "./service-module.js";
import { createGrpcJsHealthClient, createGrpcJsReflectionClient } from "./testing/grpc-js-clients.js";
import { startTestServer } from "./testing/start-test-server.js";
import { createTestRegistryModule } from "./testing/test-modules.js";

/** A WorkerService whose Execute waits until the test releases it; `inHandler` resolves once `calls` are waiting. */
function createLatchedWorker(calls = 1) {
  let release = () => {};
  let allEntered = () => {};
  let waiting = 0;
  const released = new Promise<void>((r) => (release = r));
  const inHandler = new Promise<void>((r) => (allEntered = r));
  const entered = () => {
    waiting += 1;
    if (waiting === calls) {
      allEntered();
    }
  };
  const module: ServiceModule = {
    serviceNames: [WorkerService.typeName],
    register(router) {
      router.service(WorkerService, {
        async execute() {
          entered();
          await released;
          return create(ExecuteResponseSchema, { instance: "latched" });
        },
      });
    },
  };
  return { module, release, inHandler };
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

describe("RunningServer.close", () => {
  it("ends a grpc-js Watch with NOT_SERVING then OK, and resolves", async () => {
    const { server } = await startTestServer();
    const client = createGrpcJsHealthClient(server.address);
    const statuses: string[] = [];
    const call = client.Watch({ service: "" });
    const ended = new Promise<number>((resolve) => call.on("status", (s: grpc.StatusObject) => resolve(s.code)));
    await new Promise<void>((resolve) =>
      call.on("data", (res: { status: string }) => {
        statuses.push(res.status);
        resolve();
      }),
    );
    await server.close();
    expect(await ended).toBe(grpc.status.OK);
    expect(statuses).toEqual(["SERVING", "NOT_SERVING"]);
    client.close();
  });

  it("turns readiness off, stops modules, ends streams, closes the port, then runs onClose hooks in order", async () => {
    const steps: string[] = [];
    let server: RunningServer | undefined;
    const observer: ServiceModule = {
      serviceNames: ["test.Observer"],
      register() {},
      async stop() {
        steps.push(`stop: overall ${server?.health.get("")}, observer ${server?.health.get("test.Observer")}`);
      },
    };
    const t = await startTestServer({
      modules: [createTestRegistryModule(steps, "registry"), observer],
      onClose: [
        async () => {
          steps.push(`hook 1: port open ${await portAcceptsConnections(server!.port)}`);
        },
        async () => {
          steps.push("hook 2");
        },
      ],
    });
    server = t.server;
    expect(server.health.get("test.Observer")).toBe("SERVING");
    expect(server.health.get(HealthService.typeName)).toBe("SERVING");

    const watch = createServiceClient(HealthService, { address: server.address, timeoutMs: 0 }).watchHealth({});
    const received: boolean[] = [];
    let closing: Promise<void> | undefined;
    const watching = (async () => {
      for await (const event of watch) {
        received.push(event.snapshot);
        if (received.length === 1) {
          steps.push("watch open");
          closing = server.close();
        }
      }
      steps.push("watch client done");
    })();
    await watching;
    await closing;
    await server.close();
    expect(received).toEqual([true]);
    expect(steps).toEqual([
      "registry start",
      "watch open",
      "stop: overall NOT_SERVING, observer NOT_SERVING",
      "registry stop",
      "registry watch ended",
      "watch client done",
      "hook 1: port open false",
      "hook 2",
    ]);
  });

  it("lets an in-flight unary call finish on HTTP/2 and HTTP/1.1", async () => {
    const latch = createLatchedWorker(2);
    const { server } = await startTestServer({ modules: [latch.module] });
    const h2 = createServiceClient(WorkerService, { address: server.address }).execute({});
    const h1 = createServiceClient(WorkerService, { address: server.address, protocol: "connect" }).execute({});
    await latch.inHandler;
    const closed = server.close();
    latch.release();
    const [a, b] = await Promise.all([h2, h1]);
    await closed;
    expect([a.instance, b.instance]).toEqual(["latched", "latched"]);
  });

  it("cuts calls still open after drainTimeoutMs", async () => {
    const latch = createLatchedWorker(); // never released
    const { server } = await startTestServer({ modules: [latch.module], drainTimeoutMs: 100 });
    const call = createServiceClient(WorkerService, { address: server.address }).execute({}).catch((e: unknown) => e);
    await latch.inHandler;
    await server.close();
    const err = await call;
    expect(err).toBeInstanceOf(ConnectError);
    expect([Code.Unavailable, Code.Canceled, Code.Internal, Code.Unknown]).toContain((err as ConnectError).code);
    latch.release();
  });

  it("ends an open reflection stream", async () => {
    const { server } = await startTestServer();
    const client = createGrpcJsReflectionClient(server.address, "v1");
    const call = client.ServerReflectionInfo();
    const status = new Promise<number>((resolve) => call.on("status", (s: grpc.StatusObject) => resolve(s.code)));
    call.on("data", () => {});
    await new Promise<void>((resolve) => {
      call.once("data", () => resolve());
      call.write({ list_services: "" }); // the stream stays open: the client never ends it
    });
    await server.close();
    expect(await status).toBe(grpc.status.OK);
    client.close();
  });

  it("is idempotent, and reports failed steps after running them all", async () => {
    const ran: string[] = [];
    const failing: ServiceModule = {
      serviceNames: [],
      register() {},
      async stop() {
        throw new Error("stop failed");
      },
    };
    const { server, lines } = await startTestServer({
      modules: [failing],
      onClose: [
        async () => {
          throw new Error("hook failed");
        },
        async () => {
          ran.push("second hook");
        },
      ],
    });
    const first = server.close();
    expect(server.close()).toBe(first);
    const err = await first.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AggregateError);
    expect((err as AggregateError).errors.map((e: Error) => e.message)).toEqual(["stop failed", "hook failed"]);
    expect(ran).toEqual(["second hook"]);
    expect(lines.some((l) => l.includes("shutdown step failed"))).toBe(true);
  });
});
