import { describe, expect, it } from "vitest";
import { MalformedDispatchError } from "./malformed-dispatch-error.js";
import { parseDispatchMessage } from "./parse-dispatch-message.js";
import { testDispatch, testMessage } from "./test-messages.js";

describe("parseDispatchMessage", () => {
  it("reads the scheduler's payload", () => {
    const m = testDispatch("t1", "build it", { attempt: 2, replyTo: "coordinator", timeoutMs: 60_000, traceparent: "00-abc-def-01" });
    expect(parseDispatchMessage(m)).toEqual({
      messageId: m.id,
      taskId: "t1",
      dispatchId: "d-t1",
      attempt: 2,
      replyTo: "coordinator",
      text: m.body,
      timeoutMs: 60_000,
      traceparent: "00-abc-def-01",
    });
  });

  it("falls back to the thread id, the sender and payload.spec", () => {
    const m = testMessage({ type: "dispatch", from: "boss", threadId: "d-9", body: "", payload: JSON.stringify({ task: "t9", spec: "do it" }) });
    expect(parseDispatchMessage(m)).toMatchObject({ taskId: "t9", dispatchId: "d-9", replyTo: "boss", text: "do it", attempt: 1 });
  });

  it("refuses a payload that is no JSON object, or names no task, keeping what it could read", () => {
    const notJson = testMessage({ type: "dispatch", payload: "{oops", body: "x" });
    expect(() => parseDispatchMessage(notJson)).toThrow(MalformedDispatchError);
    const noTask = testMessage({ type: "dispatch", from: "boss", payload: JSON.stringify({ dispatch: "d-1" }), body: "x" });
    try {
      parseDispatchMessage(noTask);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ problem: "payload.task is missing", taskId: undefined, replyTo: "boss" });
    }
    const noText = testMessage({ type: "dispatch", body: "", payload: JSON.stringify({ task: "t1", replyTo: "boss" }) });
    expect(() => parseDispatchMessage(noText)).toThrow(/no task text/);
  });
});
