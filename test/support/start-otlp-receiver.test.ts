import { gzipSync } from "node:zlib";
import { SpanKind, trace } from "@opentelemetry/api";
import { initTelemetry } from "@orchestrator/telemetry";
import { afterEach, describe, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver } from "./start-otlp-receiver.js";
import { traceTree } from "./trace-tree.js";

describe("startOtlpReceiver", () => {
  let receiver: OtlpReceiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it("reads what @opentelemetry/exporter-trace-otlp-http exports: ids, parents, kinds, attributes, resource", async () => {
    receiver = await startOtlpReceiver();
    const telemetry = initTelemetry({ serviceName: "svc-a", serviceVersion: "9.8.7", otlpEndpoint: receiver.endpoint });
    const ids = trace.getTracer("t").startActiveSpan("parent", { kind: SpanKind.SERVER }, (parent) => {
      const child = trace.getTracer("t").startSpan("child", { kind: SpanKind.CLIENT, attributes: { "db.system": "postgresql", n: 3, ok: true } });
      child.end();
      parent.end();
      return { trace: parent.spanContext().traceId, parent: parent.spanContext().spanId, child: child.spanContext().spanId };
    });
    await telemetry.shutdown();
    const tree = traceTree(receiver.trace(ids.trace));
    expect(tree.roots.map((s) => s.name)).toEqual(["parent"]);
    expect(tree.orphans).toEqual([]);
    const child = tree.find("child", (s) => s.name === "child");
    expect(child).toMatchObject({
      spanId: ids.child,
      parentSpanId: ids.parent,
      kind: "client",
      serviceName: "svc-a",
      serviceVersion: "9.8.7",
      attributes: { "db.system": "postgresql", n: 3, ok: true },
    });
    expect(tree.find("parent", (s) => s.name === "parent").kind).toBe("server");
    expect(receiver.rejected()).toEqual([]);
  });

  it("accepts gzip bodies and refuses protobuf and other paths with a reason", async () => {
    receiver = await startOtlpReceiver();
    const body = { resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "z" } }] }, scopeSpans: [{ spans: [{ traceId: "a".repeat(32), spanId: "b".repeat(16), name: "zipped", kind: 1 }] }] }] };
    const ok = await fetch(`${receiver.endpoint}/v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(JSON.stringify(body)),
    });
    expect(ok.status).toBe(200);
    expect(receiver.spans()).toMatchObject([{ name: "zipped", serviceName: "z", kind: "internal", parentSpanId: undefined }]);
    const proto = await fetch(`${receiver.endpoint}/v1/traces`, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body: new Uint8Array([1]) });
    expect(proto.status).toBe(415);
    const metrics = await fetch(`${receiver.endpoint}/v1/metrics`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(metrics.status).toBe(404);
    expect(receiver.rejected()).toHaveLength(2);
  });
});
