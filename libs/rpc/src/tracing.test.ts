import { fromJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { grpcHealth, WorkerService } from "@orchestrator/contracts";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createServiceClient } from "./create-service-client.js";
import { TRACE_ID_HEADER } from "./create-server-tracing-interceptor.js";
import { startTestServer, type TestServer } from "./testing/start-test-server.js";
import { callError } from "./testing/call-error.js";

const exporter = new InMemorySpanExporter();
const payload = fromJson(ValueSchema, { data: "task" });
const EXECUTE = "orchestrator.worker.v1.WorkerService/Execute";

const spansNamed = (name: string, kind: SpanKind): ReadableSpan[] =>
  exporter.getFinishedSpans().filter((s) => s.name === name && s.kind === kind);

describe("OpenTelemetry tracing across client and server", () => {
  let t: TestServer;
  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    t = await startTestServer({ apiKeys: ["k"] });
  });
  afterAll(async () => {
    await t.server.close();
    trace.disable();
    propagation.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  it.each([
    ["grpc", "grpc"],
    ["connect", "connect_rpc"],
    ["grpc-web", "grpc"],
  ] as const)("continues the caller's trace over %s: client span → server span → handler spans", async (protocol, system) => {
    const client = createServiceClient(WorkerService, { address: t.server.address, apiKey: "k", protocol });
    let headerTraceId: string | null = null;
    const callerTraceId = await trace.getTracer("test").startActiveSpan("caller", async (caller) => {
      await client.execute({ workId: "span", payload }, { onHeader: (h) => (headerTraceId = h.get(TRACE_ID_HEADER)) });
      caller.end();
      return caller.spanContext().traceId;
    });

    const [clientSpan] = spansNamed(EXECUTE, SpanKind.CLIENT);
    const [serverSpan] = spansNamed(EXECUTE, SpanKind.SERVER);
    const [dbSpan] = spansNamed("db.query", SpanKind.INTERNAL);
    expect(clientSpan && serverSpan && dbSpan).toBeTruthy();
    expect(clientSpan!.spanContext().traceId).toBe(callerTraceId);
    expect(serverSpan!.spanContext().traceId).toBe(callerTraceId);
    expect(serverSpan!.parentSpanContext?.spanId).toBe(clientSpan!.spanContext().spanId);
    expect(dbSpan!.parentSpanContext?.spanId).toBe(serverSpan!.spanContext().spanId);
    expect(headerTraceId).toBe(callerTraceId);
    expect(serverSpan!.attributes).toMatchObject({
      "rpc.system": system,
      "rpc.service": "orchestrator.worker.v1.WorkerService",
      "rpc.method": "Execute",
      "rpc.grpc.status_code": 0,
    });
    expect(clientSpan!.attributes).toMatchObject({ "rpc.system": system, "server.address": "127.0.0.1", "server.port": t.server.port });
  });

  it("records errors: the code always, ERROR status for server faults, the trace id in the error metadata", async () => {
    const client = createServiceClient(WorkerService, { address: t.server.address, apiKey: "k" });
    const notFound = await callError(client.execute({ workId: "domain-error" }));
    const crash = await callError(client.execute({ workId: "crash" }));
    const [notFoundSpan, crashSpan] = spansNamed(EXECUTE, SpanKind.SERVER);
    expect(notFoundSpan?.attributes["rpc.grpc.status_code"]).toBe(Code.NotFound);
    expect(notFoundSpan?.status.code).toBe(SpanStatusCode.UNSET);
    expect(crashSpan?.attributes["rpc.grpc.status_code"]).toBe(Code.Internal);
    expect(crashSpan?.status.code).toBe(SpanStatusCode.ERROR);
    expect(notFound.metadata.get(TRACE_ID_HEADER)).toBe(notFoundSpan?.spanContext().traceId);
    expect(crash.metadata.get(TRACE_ID_HEADER)).toBe(crashSpan?.spanContext().traceId);
    const clientSpans = spansNamed(EXECUTE, SpanKind.CLIENT);
    expect(clientSpans.map((s) => s.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR]);
  });

  it("traces unauthenticated calls too", async () => {
    const client = createServiceClient(WorkerService, { address: t.server.address });
    await client.execute({}).catch(() => {});
    expect(spansNamed(EXECUTE, SpanKind.SERVER)[0]?.attributes["rpc.grpc.status_code"]).toBe(Code.Unauthenticated);
  });

  it("ends streaming spans when the stream ends", async () => {
    const health = createServiceClient(grpcHealth.Health, { address: t.server.address, timeoutMs: 0 });
    const abort = new AbortController();
    await trace.getTracer("test").startActiveSpan("caller", async (caller) => {
      try {
        for await (const _ of health.watch({ service: "" }, { signal: abort.signal })) {
          abort.abort();
        }
      } catch {
        // cancelled by us
      }
      caller.end();
    });
    const name = "grpc.health.v1.Health/Watch";
    await vi.waitFor(() => expect(spansNamed(name, SpanKind.SERVER)).toHaveLength(1));
    const [server] = spansNamed(name, SpanKind.SERVER);
    const [client] = spansNamed(name, SpanKind.CLIENT);
    expect(server?.parentSpanContext?.spanId).toBe(client?.spanContext().spanId);
    expect(server?.attributes["rpc.grpc.status_code"]).toBe(Code.Canceled);
    expect(client?.attributes["rpc.grpc.status_code"]).toBe(Code.Canceled);
  });
});
