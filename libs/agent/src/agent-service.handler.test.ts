import { createClient, createRouterTransport } from "@connectrpc/connect";
import { AgentService } from "@orchestrator/contracts";
import { waitFor } from "@orchestrator/testing";
import { describe, expect, it } from "vitest";
import type { AgentStatus } from "./agent-status.js";
import { createAgentServiceModule } from "./agent-service.handler.js";
import { OutputRing } from "./output-ring.js";

function serve(ring: OutputRing, status: Partial<AgentStatus> = {}) {
  const module = createAgentServiceModule({
    name: "kite-1",
    pool: "kite",
    command: ["claude", "-p"],
    workdir: "/work/kite",
    ring,
    status: () => ({
      activity: "idle",
      detail: "",
      taskId: "",
      dispatchId: "",
      queued: 0,
      runsCompleted: 0,
      runsFailed: 0,
      startedAt: new Date("2030-01-01T00:00:00Z"),
      runStartedAt: undefined,
      ...status,
    }),
  });
  return createClient(AgentService, createRouterTransport((router) => module.register(router)));
}

describe("AgentService", () => {
  it("TailOutput sends the last 50 lines by default, or the number asked, with seq, stream, text and task", async () => {
    const ring = new OutputRing(500);
    for (let i = 1; i <= 80; i++) ring.append(i % 2 ? "stdout" : "stderr", `line ${i}`, "t1");
    const lines = async (n: number) => {
      const out = [];
      for await (const res of serve(ring).tailOutput({ lines: n })) out.push(...res.lines);
      return out;
    };
    const all = await lines(0);
    expect(all.map((l) => l.text)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i + 31}`));
    const last = (await lines(2)).map((l) => ({ seq: l.seq, stream: l.stream, text: l.text, taskId: l.taskId }));
    expect(last).toEqual([
      { seq: 79n, stream: "stdout", text: "line 79", taskId: "t1" },
      { seq: 80n, stream: "stderr", text: "line 80", taskId: "t1" },
    ]);
  });

  it("TailOutput with follow streams new lines until the call is cancelled", async () => {
    const ring = new OutputRing(10);
    ring.append("agent", "old");
    const abort = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const res of serve(ring).tailOutput({ lines: 1, follow: true }, { signal: abort.signal })) seen.push(...res.lines.map((l) => l.text));
    })().catch(() => undefined);
    await waitFor("the tail", () => seen.length === 1);
    ring.append("stdout", "new 1");
    ring.append("stdout", "new 2");
    await waitFor("the new lines", () => seen.length === 3);
    abort.abort();
    await reading;
    expect(seen).toEqual(["old", "new 1", "new 2"]);
  });

  it("GetAgentStatus answers the name, pool, command, workdir and what the runner does now", async () => {
    const runStartedAt = new Date("2030-01-01T00:01:00Z");
    const s = await serve(new OutputRing(1), { activity: "running", taskId: "t1", dispatchId: "d-1", queued: 2, runsCompleted: 3, runsFailed: 1, runStartedAt }).getAgentStatus({});
    expect(s).toMatchObject({ name: "kite-1", pool: "kite", activity: "running", taskId: "t1", dispatchId: "d-1", queued: 2, runsCompleted: 3n, runsFailed: 1n, command: ["claude", "-p"], workdir: "/work/kite" });
    expect(s.runStartedAt?.seconds).toBe(BigInt(runStartedAt.getTime() / 1000));
  });
});
