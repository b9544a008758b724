import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AssignmentAbort, AssignmentContext } from "./assignment-abort.js";

describe("AssignmentAbort", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("makes no timer until the signal is read, and still reports the timeout as the reason", () => {
    const abort = new AssignmentAbort(50);
    expect(vi.getTimerCount()).toBe(0);
    expect(abort.reason).toBeUndefined();
    vi.advanceTimersByTime(50);
    expect(ConnectError.from(abort.reason).code).toBe(Code.DeadlineExceeded);
    // A signal read after the timeout is born aborted with that reason.
    expect(abort.signal.aborted).toBe(true);
    expect(ConnectError.from(abort.signal.reason).code).toBe(Code.DeadlineExceeded);
  });

  it("aborts a signal that was read when the timeout passes, and clears the timer on dispose", () => {
    const abort = new AssignmentAbort(50);
    const signal = abort.signal;
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(50);
    expect(signal.aborted).toBe(true);
    expect(ConnectError.from(signal.reason).code).toBe(Code.DeadlineExceeded);
    const other = new AssignmentAbort(50);
    void other.signal;
    other.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("keeps the first reason: a cancel after the timeout passed leaves DEADLINE_EXCEEDED", () => {
    const abort = new AssignmentAbort(50);
    vi.advanceTimersByTime(60);
    abort.abort(new ConnectError("cancelled by the scheduler", Code.Canceled));
    expect(ConnectError.from(abort.reason).code).toBe(Code.DeadlineExceeded);
  });

  it("aborts with the reason given, whether the signal was made before or after", () => {
    const before = new AssignmentAbort(0);
    const signal = before.signal;
    const reason = new ConnectError("cancelled by the scheduler", Code.Canceled);
    before.abort(reason);
    expect(signal.reason).toBe(reason);
    const after = new AssignmentAbort(0);
    after.abort(reason);
    expect(after.signal.aborted).toBe(true);
    expect(after.signal.reason).toBe(reason);
    expect(after.reason).toBe(reason);
  });
});

describe("AssignmentContext", () => {
  it("exposes the signal as an own enumerable property, so a spread context keeps it", () => {
    const abort = new AssignmentAbort(0);
    const ctx = new AssignmentContext(abort, "A", null);
    const spread = { ...ctx };
    expect(spread.signal).toBe(abort.signal);
    expect(spread.instance).toBe("A");
    expect(spread.payload).toBeNull();
  });
});
