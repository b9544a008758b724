import { Writable } from "node:stream";
import { trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "./create-logger.js";
import { currentTraceId } from "./current-trace-id.js";
import { startInMemoryTracing, type InMemoryTracing } from "./start-in-memory-tracing.js";

/** A stream that keeps each written line, parsed. */
function captureStream() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { stream, lines };
}

describe("createLogger", () => {
  let tracing: InMemoryTracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  it("adds trace_id and span_id of the active span", () => {
    tracing = startInMemoryTracing();
    const { stream, lines } = captureStream();
    const logger = createLogger({ name: "router", stream });
    logger.info("outside");
    const ids = trace.getTracer("test").startActiveSpan("op", (span) => {
      logger.info("inside");
      span.end();
      return { ...span.spanContext(), current: currentTraceId() };
    });
    expect(lines[0]).not.toHaveProperty("trace_id");
    expect(lines[1]).toMatchObject({ msg: "inside", name: "router", level: "info", trace_id: ids.traceId, span_id: ids.spanId });
    expect(ids.current).toBe(ids.traceId);
    expect(currentTraceId()).toBeUndefined();
  });

  it("redacts authorization headers, api keys and passwords", () => {
    const { stream, lines } = captureStream();
    const logger = createLogger({ name: "rpc", stream });
    logger.info(
      {
        req: { headers: { authorization: "Bearer s3cret", "content-type": "application/grpc" } },
        config: { apiKey: "k1", api_key: "k2", password: "pw", user: "bob" },
        authorization: "Bearer top",
      },
      "call",
    );
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/s3cret|k1|k2|"pw"|top/);
    expect(lines[0]).toMatchObject({
      req: { headers: { authorization: "[redacted]", "content-type": "application/grpc" } },
      config: { apiKey: "[redacted]", api_key: "[redacted]", password: "[redacted]", user: "bob" },
      authorization: "[redacted]",
    });
  });

  it("defaults to level info", () => {
    const { stream, lines } = captureStream();
    const logger = createLogger({ name: "x", stream });
    logger.debug("hidden");
    logger.info("shown");
    expect(logger.level).toBe("info");
    expect(lines.map((l) => l.msg)).toEqual(["shown"]);
    const verbose = createLogger({ name: "x", level: "debug", stream });
    verbose.debug("now shown");
    expect(lines.map((l) => l.msg)).toEqual(["shown", "now shown"]);
  });
});
