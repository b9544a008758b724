import { describe, expect, it } from "vitest";
import { renderRunInput } from "./render-run-input.js";
import { testMessage } from "./test-messages.js";

describe("renderRunInput", () => {
  const dispatchText = "You are kite-1. The orchestrator scheduler dispatched task t1 to you.\n\nTask:\nbuild it";

  it("is the dispatch text alone when no message is waiting", () => {
    expect(renderRunInput(dispatchText, [])).toBe(dispatchText);
  });

  it("puts the waiting messages as banners before the preamble, in the order given", () => {
    const urgent = testMessage({ priority: "urgent", type: "escalation", subject: "stop the release" });
    const handoff = testMessage({ type: "handoff", subject: "take over the API" });
    const input = renderRunInput(dispatchText, [urgent, handoff]);
    expect(input.startsWith("You have 2 new messages")).toBe(true);
    const at = (text: string) => input.indexOf(text);
    expect(at("[URGENT] MESSAGE from tester to kite-1 (escalation)")).toBeGreaterThan(0);
    expect(at("[URGENT] MESSAGE")).toBeLessThan(at("MESSAGE from tester to kite-1 (handoff)"));
    expect(at("(handoff)")).toBeLessThan(at("You are kite-1."));
    expect(input.endsWith(dispatchText)).toBe(true);
  });
});
