import { describe, expect, it } from "vitest";
import { CALLER_HEADER, callerOf } from "./caller-of.js";

const ctx = (value?: string) => ({ requestHeader: new Headers(value === undefined ? {} : { [CALLER_HEADER]: value }) });

describe("callerOf", () => {
  it("reads a valid handle from the header", () => {
    expect(callerOf(ctx("kite-1"))).toBe("kite-1");
    expect(callerOf(ctx(" alice "))).toBe("alice");
  });
  it.each([undefined, "", "bad handle", "x-", "a..b", "n".repeat(64)])("falls back to anonymous for %j", (value) => {
    expect(callerOf(ctx(value))).toBe("anonymous");
  });
});
