import { describe, expect, it } from "vitest";
import { CallAbort } from "./call-abort.js";

describe("CallAbort", () => {
  it("tells its listener once, with the first reason, and aborts a signal made before or after", () => {
    const abort = new CallAbort();
    const early = abort.signal;
    const heard: unknown[] = [];
    abort.listen({ handleAbort: (reason) => heard.push(reason) });
    abort.abort("first");
    abort.abort("second");
    expect(heard).toEqual(["first"]);
    expect(abort.aborted).toBe(true);
    expect(abort.reason).toBe("first");
    expect(early.aborted).toBe(true);
    expect(early.reason).toBe("first");
    const late = abort.signal;
    expect(late.aborted).toBe(true);
    expect(late.reason).toBe("first");
  });

  it("does not tell a listener that was removed, nor one that was replaced", () => {
    const abort = new CallAbort();
    const heard: string[] = [];
    const a = { handleAbort: () => heard.push("a") };
    const b = { handleAbort: () => heard.push("b") };
    abort.listen(a);
    abort.unlisten(b); // not the one set: a stays
    abort.listen(b);
    abort.unlisten(b);
    abort.abort("x");
    expect(heard).toEqual([]);
    expect(abort.signal.aborted).toBe(true);
  });
});
