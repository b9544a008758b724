import { describe, expect, it } from "vitest";
import { priorityMarker, renderBanner } from "./render-banner.js";
import { testMessage } from "./test-messages.js";

describe("renderBanner", () => {
  it("marks priorities that want attention", () => {
    expect([priorityMarker("normal"), priorityMarker("high"), priorityMarker("urgent")]).toEqual(["", "[HIGH] ", "[URGENT] "]);
  });

  it("renders sender, type, thread, subject, body, payload and the command that answers", () => {
    const m = testMessage({ priority: "urgent", type: "escalation", subject: "stuck", body: "need a decision", payload: '{"task":"t1"}' });
    const banner = renderBanner(m);
    expect(banner.split("\n")[0]).toBe("=== [URGENT] MESSAGE from tester to kite-1 (escalation) ===");
    expect(banner).toContain(`thread: ${m.threadId}  sent: 2030-01-02T03:04:05.000Z`);
    expect(banner).toContain("subject: stuck\n\nneed a decision\n");
    expect(banner).toContain('payload: {"task":"t1"}');
    expect(banner).toContain(`reply: orchestrator reply --id ${m.id} --body "<your answer>"`);
    expect(banner.endsWith("=== END MESSAGE ===")).toBe(true);
  });
});
