import { describe, expect, it } from "vitest";
import { renderPreamble } from "./dispatch-preamble.js";

const base = { taskId: "r-1:fix", dispatchId: "d-abc", attempt: 2, spec: "Fix the login button CSS", instance: "kite-1", replyTo: "scheduler", runId: "r-1", decisions: [] };

describe("the dispatch preamble (part of the scheduler's contract)", () => {
  it("is exactly this text", () => {
    expect(renderPreamble(base)).toBe(
      [
        "You are kite-1. The orchestrator scheduler dispatched task r-1:fix to you (dispatch d-abc, attempt 2, run r-1).",
        "",
        "Task:",
        "Fix the login button CSS",
        "",
        "When you have finished, report it. This is how the scheduler learns the task is done; without it the task times out and goes to someone else:",
        `  orchestrator send --from kite-1 --to scheduler --type worker_done --thread-id d-abc --subject "done: r-1:fix" --payload '{"task":"r-1:fix","dispatch":"d-abc","result":{"summary":"<what you did>"}}'`,
        "Put your result in payload.result (any JSON).",
        "",
        "If you are blocked, unsure, or cannot finish, do not stall silently. Escalate, and a person will decide:",
        `  orchestrator send --from kite-1 --to scheduler --type escalation --priority high --thread-id d-abc --subject "<the question to decide>" --body "<what blocks you>" --payload '{"task":"r-1:fix","dispatch":"d-abc","options":["<option>","<option>"]}'`,
        "Then stop: the task comes back to you, or to another agent, with the decision in this preamble.",
        "",
        "Read messages for you with: orchestrator check --handle kite-1 --unread",
      ].join("\n"),
    );
  });

  it("teaches worker_done and escalation addressed to the reply handle", () => {
    const text = renderPreamble({ ...base, replyTo: "coordinator" });
    expect(text).toContain("--to coordinator --type worker_done");
    expect(text).toContain("--to coordinator --type escalation");
  });

  it("carries gate decisions before the task, marking defaults applied at a timeout", () => {
    const text = renderPreamble({
      ...base,
      decisions: [
        { question: "ship on Friday?", resolution: "no, Monday", status: "resolved" },
        { question: "which db?", resolution: "postgres", status: "timeout" },
      ],
    });
    expect(text).toContain("Decisions made for this task (follow them):\n- ship on Friday? → no, Monday\n- which db? → postgres (default applied: nobody answered in time)\n\nTask:");
  });

  it("leaves the run out for tasks outside runs", () => {
    expect(renderPreamble({ ...base, runId: null }).split("\n")[0]).toBe("You are kite-1. The orchestrator scheduler dispatched task r-1:fix to you (dispatch d-abc, attempt 2).");
  });
});
