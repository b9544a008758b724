import { fromJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { context, trace } from "@opentelemetry/api";
import { startInMemoryTracing } from "@orchestrator/telemetry";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRouter, type RouterFixture } from "./test-support.js";

describe("tracing", () => {
  const tracing = startInMemoryTracing();
  let fx: RouterFixture;

  beforeAll(async () => {
    fx = await startRouter();
    await fx.startWorker("T1");
    await waitFor("view sees T1", () => fx.module.view.get("T1"));
  });
  afterAll(async () => {
    await fx.close();
    await tracing.shutdown();
  });

  it("one trace spans the caller, the router and the worker; Route answers its id", async () => {
    tracing.reset();
    const root = trace.getTracer("test").startSpan("cli route");
    const res = await context.with(trace.setSpan(context.active(), root), () => fx.client().route({ instances: ["T1"], payload: fromJson(ValueSchema, 1) }));
    root.end();
    const traceId = root.spanContext().traceId;
    expect(res.traceId).toBe(traceId);
    await waitFor("the worker's server span", () => tracing.spans().some((s) => s.name === "orchestrator.worker.v1.WorkerService/Execute" && s.kind === 1));
    const names = tracing.spans().filter((s) => s.spanContext().traceId === traceId).map((s) => `${s.name}/${s.kind}`);
    expect(names).toContain("orchestrator.router.v1.RouterService/Route/1"); // server
    expect(names).toContain("orchestrator.worker.v1.WorkerService/Execute/2"); // router's client call
    expect(names).toContain("orchestrator.worker.v1.WorkerService/Execute/1"); // worker's server
  });

  it("answers the trace id in Fanout and SendSession too", async () => {
    const fan = await fx.client().fanout({ targets: ["T1"], payload: fromJson(ValueSchema, 1) });
    expect(fan.summary?.traceId).toMatch(/^[0-9a-f]{32}$/);
    await fx.client().spawnSession({ sessionId: "traced", instances: ["T1"] });
    const sent = await fx.client().sendSession({ sessionId: "traced", data: fromJson(ValueSchema, 1) });
    expect(sent.traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});
