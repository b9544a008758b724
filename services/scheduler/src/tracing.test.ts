import { context, trace } from "@opentelemetry/api";
import { startInMemoryTracing } from "@orchestrator/telemetry";
import { waitFor } from "@orchestrator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeDeps, startScheduler, type FakeDeps, type SchedulerFixture } from "./test-support.js";

describe("tracing", () => {
  const tracing = startInMemoryTracing();
  let deps: FakeDeps;
  let fx: SchedulerFixture;

  beforeAll(async () => {
    deps = await startFakeDeps({ instances: [{ name: "A" }, { name: "K1", kind: "agent" }] });
    fx = await startScheduler({ deps });
  });
  afterAll(async () => {
    await fx.close();
    await deps.close();
    await tracing.shutdown();
  });

  const spansOf = (traceId: string) => tracing.spans().filter((s) => s.spanContext().traceId === traceId);

  it("a dispatch continues its caller's trace through the scheduler to the instance (Execute, one hop)", async () => {
    await fx.client().createTask({ id: "traced", spec: "x" });
    const root = trace.getTracer("test").startSpan("cli dispatch");
    const res = await context.with(trace.setSpan(context.active(), root), () => fx.client().dispatch({ taskId: "traced", to: "A" }));
    root.end();
    const traceId = root.spanContext().traceId;
    expect(res.dispatch!.traceId).toBe(traceId);
    await waitFor("execute server span", () => spansOf(traceId).some((s) => s.name === "orchestrator.worker.v1.WorkerService/Execute" && s.kind === 1));
    // The dispatch span ends after the delivery settles, which can be after the instance's server span.
    await waitFor("dispatch span", () => spansOf(traceId).some((s) => s.name === "scheduler.dispatch"));
    const dispatchSpan = spansOf(traceId).find((s) => s.name === "scheduler.dispatch");
    expect(dispatchSpan?.attributes["orchestrator.task.id"]).toBe("traced");
    const executeClient = spansOf(traceId).find((s) => s.name === "orchestrator.worker.v1.WorkerService/Execute" && s.kind === 2);
    expect(executeClient?.parentSpanContext?.spanId).toBe(dispatchSpan!.spanContext().spanId);
    expect(spansOf(traceId).some((s) => s.name.startsWith("orchestrator.router.v1"))).toBe(false);
  });

  it("an agent's worker_done is processed in the trace of the dispatch it answers", async () => {
    await fx.client().createTask({ id: "agent-traced", spec: "y" });
    const res = await fx.client().dispatch({ taskId: "agent-traced", to: "K1", inject: true });
    const sent = await waitFor("dispatch message", () => deps.mailbox.to("K1")[0]);
    expect(JSON.parse(sent.payload).traceparent).toContain(res.dispatch!.traceId);
    deps.mailbox.send({ to: "scheduler", from: "K1", type: "worker_done", subject: "done", payload: { task: "agent-traced", dispatch: res.dispatch!.id, result: 1 } });
    const report = await waitFor("report span", () => tracing.spans().find((s) => s.name === "scheduler.worker_done"));
    expect(report.spanContext().traceId).toBe(res.dispatch!.traceId);
    const queries = spansOf(res.dispatch!.traceId).filter((s) => s.name === "db.query");
    expect(queries.some((q) => String(q.attributes["db.query.text"]).includes("update dispatch_contexts"))).toBe(true);
  });
});
