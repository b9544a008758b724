import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { initTelemetry, tracesUrl, type Telemetry } from "./init-telemetry.js";
import { startInMemoryTracing } from "./start-in-memory-tracing.js";

/** A fake OTLP/HTTP collector on port 0 that keeps every request body. */
async function startCollector() {
  const requests: { url: string; body: string }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({ url: req.url ?? "", body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(r)) };
}

describe("initTelemetry", () => {
  let telemetry: Telemetry | undefined;
  afterEach(async () => {
    await telemetry?.shutdown();
    telemetry = undefined;
  });

  it("exports spans with the service resource to ${otlpEndpoint}/v1/traces on shutdown", async () => {
    const collector = await startCollector();
    try {
      telemetry = initTelemetry({ serviceName: "router", serviceVersion: "1.2.3", otlpEndpoint: `${collector.endpoint}/` });
      trace.getTracer("test").startActiveSpan("route-call", (span) => span.end());
      await telemetry.shutdown();

      expect(collector.requests.map((r) => r.url)).toEqual(["/v1/traces"]);
      const body = JSON.parse(collector.requests[0]!.body) as {
        resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: { name: string }[] }[] }[];
      };
      const resource = body.resourceSpans[0]!.resource.attributes;
      expect(resource).toContainEqual({ key: "service.name", value: { stringValue: "router" } });
      expect(resource).toContainEqual({ key: "service.version", value: { stringValue: "1.2.3" } });
      expect(body.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name)).toEqual(["route-call"]);
    } finally {
      await collector.close();
    }
  });

  it("is idempotent and creates valid spans without an endpoint", async () => {
    telemetry = initTelemetry({ serviceName: "a", serviceVersion: "1" });
    expect(initTelemetry({ serviceName: "b", serviceVersion: "2" })).toBe(telemetry);
    const traceId = trace.getTracer("test").startActiveSpan("s", (span) => {
      span.end();
      return span.spanContext().traceId;
    });
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe("0".repeat(32));
  });

  it("registers afresh after shutdown", async () => {
    const first = initTelemetry({ serviceName: "a", serviceVersion: "1" });
    await first.shutdown();
    telemetry = initTelemetry({ serviceName: "a", serviceVersion: "1" });
    expect(telemetry).not.toBe(first);
  });

  it("leaves an active in-memory tracing in charge", async () => {
    const tracing = startInMemoryTracing();
    try {
      const handle = initTelemetry({ serviceName: "svc", serviceVersion: "1" });
      trace.getTracer("test").startSpan("kept").end();
      await handle.shutdown();
      trace.getTracer("test").startSpan("after").end();
      expect(tracing.spans().map((s) => s.name)).toEqual(["kept", "after"]);
    } finally {
      await tracing.shutdown();
    }
  });

  it("builds the traces URL from the endpoint", () => {
    expect(tracesUrl("http://c:4318")).toBe("http://c:4318/v1/traces");
    expect(tracesUrl("http://c:4318//")).toBe("http://c:4318/v1/traces");
  });
});
