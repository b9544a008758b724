import { describe, expect, it } from "vitest";
import { createKeyCheck } from "./create-key-check.js";

describe("createKeyCheck", () => {
  const check = createKeyCheck(["current-key", "next-key"]);

  it("accepts any configured key and answers it", () => {
    expect(check("Bearer current-key")).toEqual({ ok: true, key: "current-key" });
    expect(check("bearer   next-key ")).toEqual({ ok: true, key: "next-key" });
  });

  it("tells a missing key from a wrong one", () => {
    expect(check(undefined)).toMatchObject({ ok: false, reason: "missing_api_key" });
    expect(check("Basic abc")).toMatchObject({ ok: false, reason: "missing_api_key" });
    expect(check("Bearer current-key-x")).toMatchObject({ ok: false, reason: "invalid_api_key", message: "invalid API key" });
  });

  it("lets everything through when no key is configured", () => {
    expect(createKeyCheck([])(undefined)).toEqual({ ok: true, key: "" });
  });
});
