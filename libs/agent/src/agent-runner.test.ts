import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Message } from "@orchestrator/contracts";
import { testLogger, waitFor } from "@orchestrator/testing";
import { describe, expect, it } from "vitest";
import type { AgentActivity } from "./agent-activity.js";
import type { AnswerMessage } from "./answer-message.js";
import { AgentRunner } from "./agent-runner.js";
import { OutputRing } from "./output-ring.js";
import { testDispatch, testMessage } from "./test-messages.js";

const FAKE_AGENT = join(import.meta.dirname, "../../../test/agents/fake-agent.mjs");

/** An AgentRunner over recording ports: what it reported, released and sent. */
function harness(options: { timeoutMs?: number; inbox?: Message[] } = {}) {
  const reports: [AgentActivity, string][] = [];
  const released: string[] = [];
  const sent: AnswerMessage[] = [];
  const inbox = options.inbox ?? [];
  const ring = new OutputRing(100);
  const workdir = mkdtempSync(join(tmpdir(), "agent-runner-"));
  const runner = new AgentRunner({
    name: "kite-1",
    command: [process.execPath, FAKE_AGENT],
    workdir,
    inputMode: "arg",
    timeoutMs: options.timeoutMs ?? 30_000,
    killGraceMs: 500,
    ring,
    presence: { report: (activity, detail) => reports.push([activity, detail]), release: (holder) => released.push(holder) },
    mailbox: {
      takeMessages: async () => inbox.splice(0),
      send: async (answer) => void sent.push(answer),
    },
    env: (d) => ({ PATH: process.env.PATH, ORCHESTRATOR_HANDLE: "kite-1", ORCHESTRATOR_TASK_ID: d.taskId }),
    logger: testLogger(),
  });
  return { runner, reports, released, sent, inbox, ring, workdir };
}

describe("AgentRunner", () => {
  it("runs a dispatch and answers worker_done with the output's JSON; activity waiting, running, then completed until the next dispatch", async () => {
    const h = harness();
    const message = testDispatch("t1", "build it noisy:2");
    h.runner.enqueue(message);
    await h.runner.settled();
    expect(h.reports.map(([a]) => a)).toEqual(["waiting", "running", "completed"]);
    expect(h.reports[1]).toEqual(["running", "task t1"]);
    expect(h.reports[2]).toEqual(["completed", "task t1: exit 0"]);
    expect(h.released).toEqual(["task:t1"]);
    expect(h.sent).toHaveLength(1);
    const answer = h.sent[0]!;
    expect(answer).toMatchObject({ to: "scheduler", from: "kite-1", type: "worker_done", threadId: "d-t1", subject: "done: t1" });
    expect(JSON.parse(answer.payload)).toEqual({ task: "t1", dispatch: "d-t1", result: { agent: "kite-1", task: "t1", input: message.body, cwd: h.workdir } });
    expect(answer.body).toContain("fake-agent noise 2/2 (task t1)");
    expect(h.runner.status()).toMatchObject({ activity: "completed", taskId: "", queued: 0, runsCompleted: 1, runsFailed: 0 });
    const lines = h.ring.tail(100);
    expect(lines.map((l) => l.stream)).toContain("stderr");
    expect(lines.filter((l) => l.stream !== "agent").every((l) => l.taskId === "t1")).toBe(true);
    expect(lines[0]!.text).toMatch(/^run started: task t1 \(dispatch d-t1, attempt 1, timeout 30s\)$/);
  });

  it("answers a failed run with a high-priority escalation carrying the error and exit code; activity error", async () => {
    const h = harness();
    h.runner.enqueue(testDispatch("t2", "fail:3"));
    await h.runner.settled();
    expect(h.reports.map(([a]) => a)).toEqual(["waiting", "running", "error"]);
    expect(h.reports[2]).toEqual(["error", "task t2: exit 3"]);
    const answer = h.sent[0]!;
    expect(answer).toMatchObject({ type: "escalation", priority: "high", subject: "task t2 failed: exit 3", threadId: "d-t2", to: "scheduler" });
    expect(JSON.parse(answer.payload)).toEqual({ task: "t2", dispatch: "d-t2", error: "exit 3", exitCode: 3 });
    expect(answer.body).toContain("fake-agent: failing on purpose with exit 3");
    expect(h.runner.status()).toMatchObject({ runsCompleted: 0, runsFailed: 1 });
  });

  it("times a run out at the dispatch's timeoutMs when it is smaller than its own", async () => {
    const h = harness({ timeoutMs: 60_000 });
    h.runner.enqueue(testDispatch("t3", "hang", { timeoutMs: 300 }));
    await h.runner.settled();
    expect(h.sent[0]).toMatchObject({ type: "escalation", subject: "task t3 timed out after 300ms" });
    expect(JSON.parse(h.sent[0]!.payload)).toEqual({ task: "t3", dispatch: "d-t3", error: "timed out after 300ms" });
  });

  it("runs dispatches one at a time, in order; a message that arrives during a run is a banner before the next run's preamble", async () => {
    const h = harness();
    const hold = join(h.workdir, "release-a");
    h.runner.enqueue(testDispatch("a", `first wait-file:${hold}`));
    h.runner.enqueue(testDispatch("b", "second"));
    expect(h.runner.status()).toMatchObject({ taskId: "a", queued: 1 });
    await waitFor("run a to wait", () => h.ring.tail(100).some((l) => l.text.startsWith("fake-agent: waiting for")));
    h.inbox.push(testMessage({ type: "handoff", priority: "high", subject: "take the API over" }));
    writeFileSync(hold, "");
    await h.runner.settled();
    const results = h.sent.map((a) => JSON.parse(a.payload).result as { task: string; input: string });
    expect(results.map((r) => r.task)).toEqual(["a", "b"]);
    expect(results[0]!.input).not.toContain("MESSAGE from");
    const input = results[1]!.input;
    expect(input.indexOf("[HIGH] MESSAGE from tester to kite-1 (handoff)")).toBeGreaterThanOrEqual(0);
    expect(input.indexOf("(handoff)")).toBeLessThan(input.indexOf("You are kite-1. PREAMBLE for b"));
    expect(h.reports.map(([a]) => a)).toEqual(["waiting", "running", "completed", "waiting", "running", "completed"]);
  });

  it("on stop kills the running command and answers it and the queued ones with an error escalation", async () => {
    const h = harness();
    h.runner.enqueue(testDispatch("long", "hang"));
    h.runner.enqueue(testDispatch("next", "never started"));
    await waitFor("the run to start", () => h.runner.status().activity === "running" && h.ring.tail(100).some((l) => l.text === "fake-agent: hanging"));
    await h.runner.stop();
    expect(h.sent.map((a) => [a.type, JSON.parse(a.payload).error])).toEqual([
      ["escalation", "agent kite-1 shut down mid-task"],
      ["escalation", "agent kite-1 shut down before the task started"],
    ]);
    expect(h.reports.at(-1)![0]).toBe("error");
  });

  it("answers a malformed dispatch with an escalation when it knows the task and the reply-to, and runs nothing", async () => {
    const h = harness();
    h.runner.enqueue(testMessage({ type: "dispatch", from: "boss", threadId: "d-x", body: "", payload: JSON.stringify({ task: "tx" }) }));
    h.runner.enqueue(testMessage({ type: "dispatch", payload: "not json", body: "x" }));
    await waitFor("the escalation", () => h.sent.length === 1);
    expect(h.sent[0]).toMatchObject({ to: "boss", type: "escalation", threadId: "d-x" });
    expect(JSON.parse(h.sent[0]!.payload).error).toBe("malformed dispatch: no task text (body or payload.spec)");
    expect(h.reports).toEqual([]);
    expect(h.ring.tail(10).map((l) => l.text)).toEqual([expect.stringMatching(/^ignored dispatch message .*: no task text/), expect.stringMatching(/payload is not JSON$/)]);
  });
});
